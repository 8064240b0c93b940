//! How a job is stopped: a cancel request, a lost lease, Redis losing the queue, shutdown.

use crate::runner::{config, gone, start};
use crate::support::{eventually, queue};
use berth_jobs::{
    CancelReason, CancellationToken, JobContext, JobOutcome, JobState, RunnerConfig, handler_fn,
};
use fred::prelude::{HashesInterface, KeysInterface};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use uuid::Uuid;

#[tokio::test]
async fn a_cancel_request_fires_the_handlers_token() {
    let queue = queue().await;
    let seen: Arc<Mutex<Option<CancelReason>>> = Arc::default();
    let started = CancellationToken::new();
    let handler = {
        let (seen, started) = (seen.clone(), started.clone());
        handler_fn(move |job: JobContext| {
            let (seen, started) = (seen.clone(), started.clone());
            async move {
                started.cancel();
                job.cancelled().await;
                *seen.lock().unwrap() = job.cancel_reason();
                JobOutcome::Fail
            }
        })
    };
    let (shutdown, task) = start(&queue, handler, config("w"));
    let id = Uuid::new_v4();
    queue.enqueue(id).await.unwrap();
    started.cancelled().await;

    assert!(queue.request_cancel(id).await.unwrap());
    eventually(Duration::from_secs(2), "the job is failed", || {
        gone(&queue, id)
    })
    .await;
    assert_eq!(*seen.lock().unwrap(), Some(CancelReason::Requested));
    assert!(!queue.cancel_requested(id).await.unwrap(), "flag cleared");
    shutdown.cancel();
    task.await.unwrap();
}

#[tokio::test]
async fn a_job_cancelled_while_queued_starts_with_its_token_fired() {
    let queue = queue().await;
    let id = Uuid::new_v4();
    queue.enqueue(id).await.unwrap();
    assert!(queue.request_cancel(id).await.unwrap());
    let seen: Arc<Mutex<Option<CancelReason>>> = Arc::default();
    let handler = {
        let seen = seen.clone();
        handler_fn(move |job: JobContext| {
            *seen.lock().unwrap() = job.cancel_reason();
            async { JobOutcome::Fail }
        })
    };
    // A long heartbeat: only the lease itself can have told the handler.
    let config = RunnerConfig {
        heartbeat_every: Duration::from_secs(10),
        ..config("w")
    };
    let (shutdown, task) = start(&queue, handler, config);
    eventually(Duration::from_secs(2), "the job is failed", || {
        gone(&queue, id)
    })
    .await;
    assert_eq!(*seen.lock().unwrap(), Some(CancelReason::Requested));
    shutdown.cancel();
    task.await.unwrap();
}

#[tokio::test]
async fn a_lost_lease_stops_the_handler_and_leaves_the_job_alone() {
    let queue = queue().await;
    let seen: Arc<Mutex<Option<CancelReason>>> = Arc::default();
    let handler = {
        let seen = seen.clone();
        handler_fn(move |job: JobContext| {
            let seen = seen.clone();
            async move {
                job.cancelled().await;
                *seen.lock().unwrap() = job.cancel_reason();
                JobOutcome::Done
            }
        })
    };
    let (shutdown, task) = start(&queue, handler, config("w"));
    let id = Uuid::new_v4();
    queue.enqueue(id).await.unwrap();
    eventually(Duration::from_secs(2), "the job is leased", || async {
        queue.state(id).await.unwrap() == Some(JobState::Leased)
    })
    .await;

    // As if the lease had been reaped and taken by another worker: the token changed.
    let tokens = format!("{}tokens", queue.prefix());
    let _: i64 = queue
        .client()
        .hset(&tokens, (id.to_string(), "someone-else"))
        .await
        .unwrap();
    eventually(Duration::from_secs(2), "the handler stopped", || async {
        seen.lock().unwrap().is_some()
    })
    .await;
    assert_eq!(*seen.lock().unwrap(), Some(CancelReason::LeaseLost));
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(
        queue.state(id).await.unwrap(),
        Some(JobState::Leased),
        "not acked"
    );
    shutdown.cancel();
    task.await.unwrap();
}

#[tokio::test]
async fn shutdown_lets_jobs_finish_then_cancels_then_aborts() {
    let queue = queue().await;
    let (quick, stoppable, stubborn) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let started: Arc<Mutex<u32>> = Arc::default();
    let handler = {
        let started = started.clone();
        handler_fn(move |job: JobContext| {
            let started = started.clone();
            async move {
                *started.lock().unwrap() += 1;
                if job.id == quick {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    JobOutcome::Done
                } else if job.id == stoppable {
                    job.cancelled().await;
                    assert_eq!(job.cancel_reason(), Some(CancelReason::Shutdown));
                    JobOutcome::RETRY
                } else {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    JobOutcome::Done
                }
            }
        })
    };
    let (shutdown, task) = start(&queue, handler, config("w"));
    for id in [quick, stoppable, stubborn] {
        queue.enqueue(id).await.unwrap();
    }
    eventually(Duration::from_secs(2), "all three started", || async {
        *started.lock().unwrap() == 3
    })
    .await;

    let stopping = std::time::Instant::now();
    shutdown.cancel();
    task.await.unwrap();
    let took = stopping.elapsed();
    assert!(
        took >= Duration::from_millis(400),
        "grace and cancel grace honoured: {took:?}"
    );
    assert!(took < Duration::from_millis(700), "{took:?}");

    assert!(
        gone(&queue, quick).await,
        "finished within the grace period and acked"
    );
    assert_eq!(
        queue.state(stoppable).await.unwrap(),
        Some(JobState::Ready),
        "released"
    );
    assert_eq!(
        queue.state(stubborn).await.unwrap(),
        Some(JobState::Leased),
        "left to expire"
    );
    let next = queue
        .lease("w2", Duration::from_secs(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (next.id, next.attempt),
        (stoppable, 1),
        "released at the front, attempt refunded"
    );
}

/// The attempt a handler started with, and why it was cancelled if it was.
type Started = (u32, Option<CancelReason>);

#[tokio::test]
async fn after_redis_loses_the_queue_the_reconciler_puts_the_job_back_and_the_old_lease_stops() {
    let queue = queue().await;
    let started: Arc<Mutex<Vec<Started>>> = Arc::default();
    let first_stopped = CancellationToken::new();
    let handler = {
        let (started, first_stopped) = (started.clone(), first_stopped.clone());
        handler_fn(move |job: JobContext| {
            let (started, first_stopped) = (started.clone(), first_stopped.clone());
            async move {
                let index = started.lock().unwrap().len();
                started.lock().unwrap().push((job.attempt, None));
                if index > 0 {
                    return JobOutcome::Done;
                }
                job.cancelled().await;
                started.lock().unwrap()[0].1 = job.cancel_reason();
                first_stopped.cancel();
                JobOutcome::Done
            }
        })
    };
    let (shutdown, task) = start(&queue, handler, config("w"));
    let id = Uuid::new_v4();
    queue.enqueue(id).await.unwrap();
    eventually(Duration::from_secs(2), "the job started", || async {
        !started.lock().unwrap().is_empty()
    })
    .await;

    // Redis restarted without its data.
    let keys: Vec<String> = [
        "state", "ready", "delayed", "leased", "attempts", "tokens", "workers", "cancel", "wake",
    ]
    .iter()
    .map(|name| format!("{}{name}", queue.prefix()))
    .collect();
    let _: i64 = queue.client().del(keys).await.unwrap();
    first_stopped.cancelled().await;
    // The reconciler finds the run still queued in Postgres.
    assert_eq!(queue.ensure_enqueued(&[id]).await.unwrap(), [id]);
    eventually(Duration::from_secs(2), "the job ran again", || {
        gone(&queue, id)
    })
    .await;

    assert_eq!(
        *started.lock().unwrap(),
        [(1, Some(CancelReason::LeaseLost)), (1, None)]
    );
    shutdown.cancel();
    task.await.unwrap();
}
