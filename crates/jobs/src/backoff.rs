//! Delays between attempts of a job.

use rand::Rng;
use std::time::Duration;

/// The ceiling of the delay after the `attempt`-th attempt (1-based): `base * 2^(attempt-1)`,
/// capped at `max`. Never decreases as `attempt` grows.
pub fn backoff_ceiling(attempt: u32, base: Duration, max: Duration) -> Duration {
    let doublings = attempt.saturating_sub(1).min(31);
    base.saturating_mul(1 << doublings).min(max)
}

/// The delay after the `attempt`-th attempt: "equal jitter", uniformly between half the ceiling
/// and the ceiling. The jitter spreads out jobs that failed together (say, a Proxmox node that
/// went away); the lower half bound keeps a retry from coming back at once, as full jitter may.
pub fn backoff(attempt: u32, base: Duration, max: Duration) -> Duration {
    backoff_with(&mut rand::rng(), attempt, base, max)
}

/// [`backoff`] with the caller's random source.
pub fn backoff_with(rng: &mut impl Rng, attempt: u32, base: Duration, max: Duration) -> Duration {
    let ceiling = backoff_ceiling(attempt, base, max);
    let half = ceiling / 2;
    half + (ceiling - half).mul_f64(rng.random::<f64>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    const BASE: Duration = Duration::from_millis(100);
    const MAX: Duration = Duration::from_secs(10);

    #[test]
    fn the_ceiling_doubles_from_the_base_up_to_the_cap() {
        assert_eq!(backoff_ceiling(0, BASE, MAX), BASE);
        assert_eq!(backoff_ceiling(1, BASE, MAX), BASE);
        assert_eq!(backoff_ceiling(2, BASE, MAX), BASE * 2);
        assert_eq!(backoff_ceiling(4, BASE, MAX), BASE * 8);
        assert_eq!(backoff_ceiling(8, BASE, MAX), MAX);
        assert_eq!(backoff_ceiling(u32::MAX, BASE, MAX), MAX);
        let ceilings: Vec<_> = (0..100).map(|a| backoff_ceiling(a, BASE, MAX)).collect();
        assert!(ceilings.windows(2).all(|pair| pair[0] <= pair[1]));
    }

    #[test]
    fn delays_stay_between_half_the_ceiling_and_the_ceiling() {
        let mut rng = StdRng::seed_from_u64(7);
        for attempt in 1..40 {
            let ceiling = backoff_ceiling(attempt, BASE, MAX);
            for _ in 0..200 {
                let delay = backoff_with(&mut rng, attempt, BASE, MAX);
                assert!(
                    delay >= ceiling / 2 && delay <= ceiling,
                    "{attempt}: {delay:?}"
                );
            }
        }
    }

    #[test]
    fn delays_are_jittered() {
        let mut rng = StdRng::seed_from_u64(7);
        let delays: std::collections::HashSet<_> = (0..50)
            .map(|_| backoff_with(&mut rng, 5, BASE, MAX))
            .collect();
        assert!(delays.len() > 40);
    }

    #[test]
    fn a_zero_base_means_no_delay() {
        assert_eq!(backoff(3, Duration::ZERO, MAX), Duration::ZERO);
    }
}
