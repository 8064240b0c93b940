//! A Proxmox VE that gives no answer at all (connection refused, broken or timed out) is an
//! outage, not the run's failure: the stage waits for it with back-off and then runs again, which
//! is safe because every stage observes Proxmox before it acts. The attempt keeps its lease (the
//! heartbeat goes to Redis, not Proxmox), so a long outage does not use up the run's retries;
//! only one longer than `Settings::outage_wait` fails the attempt as usual.

use crate::error::ProvisionError;
use std::time::Duration;
use tokio::time::Instant;

const FIRST_DELAY: Duration = Duration::from_millis(500);
const MAX_DELAY: Duration = Duration::from_secs(10);

/// One stage's wait through an outage.
#[derive(Debug, Default)]
pub(crate) struct Outage {
    since: Option<Instant>,
    waits: u32,
}

impl Outage {
    /// How long to wait before running the stage again, or `None` when the error is not an
    /// outage or the outage has lasted longer than `limit`.
    pub(crate) fn wait_after(
        &mut self,
        error: &ProvisionError,
        limit: Duration,
    ) -> Option<Duration> {
        if !error.is_proxmox_silent() {
            return None;
        }
        let since = *self.since.get_or_insert_with(Instant::now);
        if since.elapsed() >= limit {
            return None;
        }
        let delay = FIRST_DELAY
            .saturating_mul(1 << self.waits.min(8))
            .min(MAX_DELAY);
        self.waits += 1;
        Some(delay)
    }

    /// The first wait of this outage (when the run's log should say what is going on).
    pub(crate) fn is_first(&self) -> bool {
        self.waits == 1
    }

    /// How long the outage lasted, once it is over.
    pub(crate) fn lasted(&self) -> Option<Duration> {
        self.since.map(|since| since.elapsed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ProvisionError;

    fn silent() -> ProvisionError {
        ProvisionError::Pve(berth_pve::Error::Timeout {
            method: berth_pve::Method::Get,
            path: "/nodes".into(),
            timeout: Duration::from_secs(5),
            sent: false,
        })
    }

    #[tokio::test(start_paused = true)]
    async fn waits_longer_each_time_up_to_a_cap_then_gives_up() {
        let mut outage = Outage::default();
        let limit = Duration::from_secs(60);
        let mut delays = Vec::new();
        while let Some(delay) = outage.wait_after(&silent(), limit) {
            delays.push(delay);
            tokio::time::advance(delay).await;
        }
        assert_eq!(
            delays[..4],
            [500, 1000, 2000, 4000].map(Duration::from_millis)
        );
        assert!(delays.iter().all(|d| *d <= MAX_DELAY));
        let waited: Duration = delays.iter().sum();
        assert!(waited >= limit && waited < limit + MAX_DELAY, "{waited:?}");
    }

    #[test]
    fn an_answer_is_not_an_outage() {
        let mut outage = Outage::default();
        let refused = ProvisionError::InvalidSpec("bad".into());
        assert_eq!(outage.wait_after(&refused, Duration::from_secs(60)), None);
        assert!(outage.lasted().is_none());
    }
}
