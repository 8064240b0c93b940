//! What the runner calls for each leased job, and what the job sees of its lease.

use crate::lease::Lease;
use crate::outcome::JobOutcome;
use std::future::Future;
use std::sync::{Arc, OnceLock};
use tokio_util::sync::{CancellationToken, WaitForCancellationFuture};
use uuid::Uuid;

/// Why a job's token fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelReason {
    /// Someone asked the job to stop ([`crate::Queue::request_cancel`]). The handler records
    /// the cancel and returns [`JobOutcome::Fail`] (or `Done` if it finished anyway).
    Requested,
    /// The worker is shutting down and the grace period ran out. The handler should stop at a
    /// safe point; a `Retry` puts the job back at once without counting the attempt.
    Shutdown,
    /// The lease was lost (it expired, or Redis was unreachable longer than the lease): another
    /// worker may already own the job. The handler must stop; its outcome is ignored.
    LeaseLost,
}

/// One attempt at one job, as the handler sees it. Cheap to clone.
#[derive(Debug, Clone)]
pub struct JobContext {
    /// The job id: the run id in Postgres.
    pub id: Uuid,
    /// 1 for the first attempt; counts every lease, including ones lost to a crash.
    pub attempt: u32,
    /// How many earlier leases were lost to a crash: they do not use up the retries.
    pub lost: u32,
    pub max_attempts: u32,
    /// The lease's token, unique to this attempt: a fence for the run's writes in Postgres
    /// (claim the run with it; write checkpoints only while the claim holds).
    pub lease_token: Uuid,
    token: CancellationToken,
    reason: Arc<OnceLock<CancelReason>>,
}

impl JobContext {
    pub(crate) fn new(lease: &Lease, max_attempts: u32, token: CancellationToken) -> Self {
        Self {
            id: lease.id,
            attempt: lease.attempt,
            lost: lease.lost,
            max_attempts,
            lease_token: lease.token,
            token,
            reason: Arc::default(),
        }
    }

    /// Fires on cooperative cancel, shutdown (after the grace period) or a lost lease.
    pub fn token(&self) -> &CancellationToken {
        &self.token
    }

    pub fn cancelled(&self) -> WaitForCancellationFuture<'_> {
        self.token.cancelled()
    }

    pub fn is_cancelled(&self) -> bool {
        self.token.is_cancelled()
    }

    /// Why the token fired, once it has. The first reason wins.
    pub fn cancel_reason(&self) -> Option<CancelReason> {
        match self.reason.get() {
            Some(reason) => Some(*reason),
            // Only the runner's shutdown cancels the parent token without a reason.
            None => self.token.is_cancelled().then_some(CancelReason::Shutdown),
        }
    }

    /// No retry follows this attempt: a `Retry` outcome now fails the job. Only attempts that
    /// ended (not those lost to a dead worker) count against `max_attempts`.
    pub fn is_last_attempt(&self) -> bool {
        self.attempt.saturating_sub(self.lost) >= self.max_attempts
    }

    pub(crate) fn cancel(&self, reason: CancelReason) {
        // Ignored if a reason is already set: the first one is what happened.
        let _ = self.reason.set(reason);
        self.token.cancel();
    }
}

/// The work behind a job. The runner calls it with up to `concurrency` jobs at once.
pub trait Handler: Send + Sync + 'static {
    /// One attempt. Watch `job.cancelled()` and stop at a safe point when it fires.
    fn handle(&self, job: JobContext) -> impl Future<Output = JobOutcome> + Send;

    /// The job used up its attempts (its last one asked for a retry, or it kept being lost,
    /// e.g. it crashes its worker): record the terminal failure. The runner then fails it.
    fn exhausted(&self, job: JobContext) -> impl Future<Output = ()> + Send {
        let _ = job;
        async {}
    }
}

/// A [`Handler`] from an async closure (tests, benchmarks, small workers).
pub fn handler_fn<F, Fut>(handle: F) -> HandlerFn<F>
where
    F: Fn(JobContext) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = JobOutcome> + Send,
{
    HandlerFn(handle)
}

#[derive(Debug, Clone)]
pub struct HandlerFn<F>(F);

impl<F, Fut> Handler for HandlerFn<F>
where
    F: Fn(JobContext) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = JobOutcome> + Send,
{
    fn handle(&self, job: JobContext) -> impl Future<Output = JobOutcome> + Send {
        (self.0)(job)
    }
}
