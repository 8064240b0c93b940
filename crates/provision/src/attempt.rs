//! One attempt at a run, as the driver sees it: the job's lease (whose token fences the run's
//! writes in Postgres) and the signal that asks it to stop. [`berth_jobs::JobContext`] is the
//! production one; tests drive attempts of their own to act out crashes and takeovers.

use berth_jobs::{CancelReason, CancellationToken, JobContext};
use uuid::Uuid;

pub trait Attempt: Send + Sync {
    fn run_id(&self) -> Uuid;
    /// Unique to this attempt: the run is claimed with it.
    fn lease_token(&self) -> Uuid;
    /// 1-based.
    fn number(&self) -> u32;
    /// No retry follows: a retryable failure now fails the run.
    fn is_last(&self) -> bool;
    /// Fires when the attempt should stop; [`Attempt::stop_reason`] says why.
    fn stop_token(&self) -> &CancellationToken;
    fn stop_reason(&self) -> Option<CancelReason>;
}

impl Attempt for JobContext {
    fn run_id(&self) -> Uuid {
        self.id
    }
    fn lease_token(&self) -> Uuid {
        self.lease_token
    }
    fn number(&self) -> u32 {
        self.attempt
    }
    fn is_last(&self) -> bool {
        self.is_last_attempt()
    }
    fn stop_token(&self) -> &CancellationToken {
        self.token()
    }
    fn stop_reason(&self) -> Option<CancelReason> {
        self.cancel_reason()
    }
}

/// Resolves when the attempt must stop in the middle of a stage: its lease is lost or the worker
/// shuts down. A cancel request waits for the stage to end (the next safe point), so it never
/// resolves this.
pub(crate) async fn interrupted(attempt: &impl Attempt) {
    attempt.stop_token().cancelled().await;
    if attempt.stop_reason() == Some(CancelReason::Requested) {
        std::future::pending::<()>().await;
    }
}
