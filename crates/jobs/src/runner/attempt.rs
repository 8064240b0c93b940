//! One attempt at one leased job: the handler, its heartbeat, and settling the lease.

use super::RunnerConfig;
use super::handler::{CancelReason, Handler, JobContext};
use crate::backoff::backoff;
use crate::error::QueueError;
use crate::lease::Lease;
use crate::outcome::JobOutcome;
use crate::queue::Queue;
use std::sync::Arc;
use tokio::time::{Instant, MissedTickBehavior};
use tokio_util::sync::CancellationToken;
use tokio_util::task::AbortOnDropHandle;

pub(super) async fn run<H: Handler>(
    queue: Queue,
    handler: Arc<H>,
    config: Arc<RunnerConfig>,
    lease: Lease,
    stop_jobs: CancellationToken,
) {
    let job = JobContext::new(&lease, config.max_attempts, stop_jobs.child_token());
    if lease.lost > config.max_lost {
        // Its workers keep dying on it: the job itself is likely what kills them.
        tracing::warn!(job = %lease.id, lost = lease.lost, "job lost too often; failing it");
        handler.exhausted(job).await;
        report(&lease, queue.fail(&lease).await);
        return;
    }

    if lease.cancel_requested {
        job.cancel(CancelReason::Requested);
    }
    // A task of its own, so renewals go on even if the handler hogs its thread for a while.
    let heartbeat = AbortOnDropHandle::new(tokio::spawn(heartbeat(
        queue.clone(),
        lease.clone(),
        config.clone(),
        job.clone(),
    )));
    let outcome = handler.handle(job.clone()).await;
    drop(heartbeat);

    let settled = match (job.cancel_reason(), outcome) {
        (Some(CancelReason::LeaseLost), _) => {
            tracing::info!(job = %lease.id, "lease lost; leaving the job to its new owner");
            return;
        }
        (_, JobOutcome::Done) => queue.ack(&lease).await,
        (_, JobOutcome::Fail) => queue.fail(&lease).await,
        (Some(CancelReason::Shutdown), JobOutcome::Retry { .. }) => queue.release(&lease).await,
        (_, JobOutcome::Retry { .. }) if job.is_last_attempt() => {
            tracing::warn!(job = %lease.id, attempt = lease.attempt, "attempts used up");
            handler.exhausted(job).await;
            queue.fail(&lease).await
        }
        (_, JobOutcome::Retry { after }) => {
            let delay = after
                .unwrap_or_else(|| backoff(lease.attempt, config.retry_base, config.retry_max));
            tracing::info!(job = %lease.id, attempt = lease.attempt, ?delay, "retrying job");
            queue.retry(&lease, delay).await
        }
    };
    report(&lease, settled);
}

fn report(lease: &Lease, settled: Result<(), QueueError>) {
    match settled {
        Ok(()) => {}
        Err(QueueError::LeaseLost(_)) => {
            tracing::warn!(job = %lease.id, "lease lost before the job was settled; it will run again");
        }
        Err(error) => {
            // The lease expires and the job runs again: stages are idempotent.
            tracing::warn!(job = %lease.id, %error, "could not settle the job; it will run again");
        }
    }
}

/// Renews the lease every heartbeat and relays cancel requests. Fires the job's token
/// when the lease is lost, or when no renewal succeeded for a whole ttl (Redis unreachable):
/// past that point the job may have been reaped and handed to another worker.
async fn heartbeat(queue: Queue, lease: Lease, config: Arc<RunnerConfig>, job: JobContext) {
    let (ttl, every) = (config.lease_ttl, config.heartbeat());
    let mut ticks = tokio::time::interval_at(Instant::now() + every, every);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut renewed = Instant::now();
    loop {
        ticks.tick().await;
        let sent = Instant::now();
        match queue.renew(&lease, ttl).await {
            Ok(renewal) => {
                renewed = sent;
                if renewal.cancel_requested && !job.is_cancelled() {
                    tracing::info!(job = %lease.id, "cancel requested");
                    job.cancel(CancelReason::Requested);
                }
            }
            Err(QueueError::LeaseLost(_)) => {
                job.cancel(CancelReason::LeaseLost);
                return;
            }
            Err(error) if renewed.elapsed() >= ttl => {
                tracing::warn!(job = %lease.id, %error, "lease could not be renewed in time");
                job.cancel(CancelReason::LeaseLost);
                return;
            }
            Err(error) => tracing::warn!(job = %lease.id, %error, "lease renewal failed"),
        }
    }
}
