//! Exponential back-off with full jitter, for reconnecting to Postgres, Redis and the like.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Backoff {
    initial: Duration,
    max: Duration,
    attempt: u32,
}

impl Backoff {
    pub fn new(initial: Duration, max: Duration) -> Self {
        Self {
            initial,
            max,
            attempt: 0,
        }
    }

    /// The ceiling of the next delay: `initial * 2^attempt`, capped at `max`.
    fn ceiling(&self) -> Duration {
        let factor = 2u32.saturating_pow(self.attempt.min(20));
        self.initial.saturating_mul(factor).min(self.max)
    }

    /// The delay before the next attempt. Full jitter spreads out processes that failed together,
    /// so a restarted Postgres is not hit by every worker at the same instant.
    pub fn next_delay(&mut self) -> Duration {
        let ceiling = self.ceiling();
        self.attempt = self.attempt.saturating_add(1);
        let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        let floor = millis / 2;
        Duration::from_millis(rand::random_range(floor..=millis.max(floor)))
    }

    pub fn attempts(&self) -> u32 {
        self.attempt
    }

    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new(Duration::from_millis(250), Duration::from_secs(10))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_stay_under_the_cap() {
        let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(2));
        let delays: Vec<_> = (0..10).map(|_| backoff.next_delay()).collect();
        assert!(delays[0] <= Duration::from_millis(100));
        assert!(delays[0] >= Duration::from_millis(50));
        assert!(delays.iter().all(|d| *d <= Duration::from_secs(2)));
        assert!(
            delays[9] >= Duration::from_secs(1),
            "late delays reach half the cap"
        );
        assert_eq!(backoff.attempts(), 10);
        backoff.reset();
        assert!(backoff.next_delay() <= Duration::from_millis(100));
    }
}
