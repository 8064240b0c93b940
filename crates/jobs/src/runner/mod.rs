//! Runs a [`Handler`] over the queue with up to N jobs at once.
//!
//! Shutdown: leasing stops at once; in-flight jobs get `shutdown_grace` to finish; then their
//! tokens fire ([`CancelReason::Shutdown`]) and they get `cancel_grace` to stop. A job that
//! stops with `Retry` goes back to the front of the queue at once without counting the attempt,
//! so a redeploy does not delay it by a lease ttl. A job that does not stop in time is aborted
//! and its lease left to expire: it is not known to have stopped, so nobody may take it sooner.

mod attempt;
pub mod handler;

use crate::backoff::backoff;
use crate::error::{QueueError, Result};
use crate::queue::{Poll, Queue};
use handler::Handler;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tokio_util::task::AbortOnDropHandle;

/// The longest an idle runner waits before looking at the queue again.
const IDLE_POLL: Duration = Duration::from_secs(1);

#[derive(Debug, Clone)]
pub struct RunnerConfig {
    /// This worker's name, recorded with its leases (e.g. `host:pid`).
    pub worker: String,
    /// Jobs handled at once.
    pub concurrency: usize,
    /// How long a lease lasts without a heartbeat.
    pub lease_ttl: Duration,
    /// How often a job's lease is renewed and its cancel flag read (at most a third of the
    /// ttl): how soon a cancel from the UI reaches the handler.
    pub heartbeat_every: Duration,
    /// Attempts a job may have (leases it settled); a `Retry` on the last one fails it.
    pub max_attempts: u32,
    /// Leases of a job that may expire unsettled (its worker died) before it is failed as the
    /// likely cause: a crash of the worker is not the job's failure, a job that crashes every
    /// worker it meets is.
    pub max_lost: u32,
    /// Back-off between attempts when the handler does not choose a delay.
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// How often this runner returns stalled jobs (expired leases) to the queue.
    pub reap_every: Duration,
    /// On shutdown, how long in-flight jobs may run on before they are cancelled.
    pub shutdown_grace: Duration,
    /// After cancelling, how long jobs may take to stop before they are aborted.
    pub cancel_grace: Duration,
}

impl RunnerConfig {
    pub fn new(worker: impl Into<String>) -> Self {
        Self {
            worker: worker.into(),
            concurrency: 4,
            lease_ttl: Duration::from_secs(30),
            heartbeat_every: Duration::from_secs(2),
            max_attempts: 5,
            max_lost: 20,
            retry_base: Duration::from_secs(2),
            retry_max: Duration::from_secs(300),
            reap_every: Duration::from_secs(5),
            shutdown_grace: Duration::from_secs(30),
            cancel_grace: Duration::from_secs(5),
        }
    }

    /// The heartbeat period: as configured, but at least three beats per lease.
    pub(crate) fn heartbeat(&self) -> Duration {
        self.heartbeat_every.min(self.lease_ttl / 3)
    }

    fn validate(&self) -> Result<()> {
        if self.concurrency == 0 {
            return Err(QueueError::Invalid(
                "the runner needs a concurrency above zero",
            ));
        }
        if self.heartbeat().is_zero() || self.reap_every.is_zero() {
            return Err(QueueError::Invalid(
                "the lease ttl, heartbeat and reap period must be above zero",
            ));
        }
        Ok(())
    }
}

#[derive(Debug)]
pub struct Runner<H> {
    queue: Queue,
    handler: Arc<H>,
    config: Arc<RunnerConfig>,
}

impl<H: Handler> Runner<H> {
    pub fn new(queue: Queue, handler: H, config: RunnerConfig) -> Self {
        Self {
            queue,
            handler: Arc::new(handler),
            config: Arc::new(config),
        }
    }

    /// Leases and handles jobs until `shutdown` fires, then drains (see the module docs).
    /// Redis errors are logged and retried with back-off; they never end the loop.
    pub async fn run(self, shutdown: CancellationToken) -> Result<()> {
        let config = &self.config;
        config.validate()?;
        let waiter = self.queue.waiter()?;
        let free = Arc::new(Semaphore::new(config.concurrency));
        let stop_jobs = CancellationToken::new();
        let mut jobs = JoinSet::new();
        let _reaper = AbortOnDropHandle::new(tokio::spawn(reap(
            self.queue.clone(),
            config.reap_every,
            shutdown.clone(),
        )));
        let mut failures = 0;

        loop {
            while let Some(ended) = jobs.try_join_next() {
                report_panic(ended);
            }
            let permit = tokio::select! {
                biased;
                () = shutdown.cancelled() => break,
                permit = free.clone().acquire_owned() => permit,
            };
            let Ok(permit) = permit else { break };
            // Not raced against shutdown: a lease dropped in flight would strand its job until
            // the lease expired.
            let pause = match self.queue.poll(&config.worker, config.lease_ttl).await {
                Ok(Poll::Leased(lease)) => {
                    failures = 0;
                    tracing::debug!(job = %lease.id, attempt = lease.attempt, "leased job");
                    let job = attempt::run(
                        self.queue.clone(),
                        self.handler.clone(),
                        self.config.clone(),
                        lease,
                        stop_jobs.clone(),
                    );
                    jobs.spawn(async move {
                        job.await;
                        drop(permit);
                    });
                    continue;
                }
                Ok(Poll::Empty { next_due }) => {
                    failures = 0;
                    drop(permit);
                    let wait = next_due.map_or(IDLE_POLL, |due| due.min(IDLE_POLL));
                    tokio::select! {
                        () = shutdown.cancelled() => break,
                        woken = waiter.wait(wait) => match woken {
                            Ok(_) => continue,
                            Err(error) => error,
                        },
                    }
                }
                Err(error) => error,
            };
            failures += 1;
            let delay = backoff(failures, Duration::from_millis(100), Duration::from_secs(5));
            tracing::warn!(error = %pause, ?delay, "job queue unavailable; retrying");
            tokio::select! {
                () = shutdown.cancelled() => break,
                () = tokio::time::sleep(delay) => {}
            }
        }

        drain(&mut jobs, &stop_jobs, config).await;
        Ok(())
    }
}

async fn reap(queue: Queue, every: Duration, shutdown: CancellationToken) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            _ = ticks.tick() => {}
        }
        match queue.reap_stalled().await {
            Ok(ids) if ids.is_empty() => {}
            Ok(ids) => tracing::warn!(?ids, "stalled jobs returned to the queue"),
            Err(error) => tracing::warn!(%error, "could not reap stalled jobs"),
        }
    }
}

async fn drain(jobs: &mut JoinSet<()>, stop_jobs: &CancellationToken, config: &RunnerConfig) {
    if jobs.is_empty() {
        return;
    }
    tracing::info!(in_flight = jobs.len(), "waiting for in-flight jobs");
    if tokio::time::timeout(config.shutdown_grace, join_all(jobs))
        .await
        .is_ok()
    {
        return;
    }
    tracing::info!(in_flight = jobs.len(), "grace period over; cancelling jobs");
    stop_jobs.cancel();
    if tokio::time::timeout(config.cancel_grace, join_all(jobs))
        .await
        .is_ok()
    {
        return;
    }
    tracing::warn!(
        left = jobs.len(),
        "aborting jobs that did not stop; their leases will expire"
    );
    jobs.abort_all();
    join_all(jobs).await;
}

async fn join_all(jobs: &mut JoinSet<()>) {
    while let Some(ended) = jobs.join_next().await {
        report_panic(ended);
    }
}

fn report_panic(ended: std::result::Result<(), tokio::task::JoinError>) {
    if let Err(error) = ended
        && error.is_panic()
    {
        // Its heartbeat stopped with it: the lease expires and the job is reaped and run again.
        tracing::error!(%error, "a job handler panicked; the job will run again");
    }
}
