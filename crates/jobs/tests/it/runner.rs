//! The runner: concurrency, exactly-once handling, cancel, attempts, lost leases, shutdown.

use crate::support::{eventually, queue, redis};
use berth_jobs::{
    CancelReason, CancellationToken, Handler, JobContext, JobOutcome, JobState, Queue, Runner,
    RunnerConfig, handler_fn,
};
use fred::prelude::HashesInterface;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinHandle;
use uuid::Uuid;

fn config(worker: &str) -> RunnerConfig {
    RunnerConfig {
        concurrency: 4,
        lease_ttl: Duration::from_millis(300),
        retry_base: Duration::from_millis(10),
        retry_max: Duration::from_millis(50),
        reap_every: Duration::from_millis(100),
        shutdown_grace: Duration::from_millis(200),
        cancel_grace: Duration::from_millis(200),
        ..RunnerConfig::new(worker)
    }
}

fn start<H: Handler>(
    queue: &Queue,
    handler: H,
    config: RunnerConfig,
) -> (CancellationToken, JoinHandle<()>) {
    let shutdown = CancellationToken::new();
    let runner = Runner::new(queue.clone(), handler, config);
    let stop = shutdown.clone();
    let task = tokio::spawn(async move { runner.run(stop).await.unwrap() });
    (shutdown, task)
}

async fn gone(queue: &Queue, id: Uuid) -> bool {
    queue.state(id).await.unwrap().is_none()
}

#[tokio::test]
async fn two_runners_handle_every_job_exactly_once() {
    let prefix = crate::support::prefix();
    let handled: Arc<Mutex<HashMap<Uuid, u32>>> = Arc::default();
    let mut runners = Vec::new();
    for worker in ["a", "b"] {
        // Separate connections, as two worker processes would have.
        let queue = Queue::with_prefix(redis().await, &prefix);
        let handled = handled.clone();
        let handler = handler_fn(move |job: JobContext| {
            let handled = handled.clone();
            async move {
                *handled.lock().unwrap().entry(job.id).or_default() += 1;
                tokio::task::yield_now().await;
                JobOutcome::Done
            }
        });
        runners.push(start(
            &queue,
            handler,
            RunnerConfig {
                concurrency: 8,
                ..config(worker)
            },
        ));
    }
    let producer = Queue::with_prefix(redis().await, &prefix);
    let ids: Vec<_> = (0..200).map(|_| Uuid::new_v4()).collect();
    // Enqueued concurrently, so leasing races with enqueuing.
    let enqueues: Vec<_> = ids
        .iter()
        .map(|id| {
            let (producer, id) = (producer.clone(), *id);
            tokio::spawn(async move { producer.enqueue(id).await })
        })
        .collect();
    for enqueue in enqueues {
        assert!(enqueue.await.unwrap().unwrap());
    }

    eventually(Duration::from_secs(10), "all 200 jobs handled", || async {
        handled.lock().unwrap().len() == ids.len()
    })
    .await;
    for id in &ids {
        assert!(gone(&producer, *id).await, "{id} acked");
    }
    for (shutdown, task) in runners {
        shutdown.cancel();
        task.await.unwrap();
    }
    let handled = handled.lock().unwrap();
    assert!(handled.values().all(|count| *count == 1), "{handled:?}");
}

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
async fn a_runner_refuses_a_config_it_cannot_run() {
    let queue = queue().await;
    let handler = handler_fn(|_job: JobContext| async { JobOutcome::Done });
    let config = RunnerConfig {
        concurrency: 0,
        ..config("w")
    };
    let result = Runner::new(queue, handler, config)
        .run(CancellationToken::new())
        .await;
    assert!(matches!(result, Err(berth_jobs::QueueError::Invalid(_))));
}

/// Clones share what they saw.
#[derive(Clone, Default)]
struct AlwaysRetry {
    attempts: Arc<Mutex<Vec<u32>>>,
    exhausted: Arc<Mutex<Vec<u32>>>,
}

impl Handler for AlwaysRetry {
    async fn handle(&self, job: JobContext) -> JobOutcome {
        self.attempts.lock().unwrap().push(job.attempt);
        JobOutcome::RETRY
    }

    async fn exhausted(&self, job: JobContext) {
        self.exhausted.lock().unwrap().push(job.attempt);
    }
}

#[tokio::test]
async fn a_job_that_keeps_asking_for_retries_fails_after_max_attempts() {
    let queue = queue().await;
    let handler = AlwaysRetry::default();
    let (shutdown, task) = start(
        &queue,
        handler.clone(),
        RunnerConfig {
            max_attempts: 3,
            ..config("w")
        },
    );
    let id = Uuid::new_v4();
    queue.enqueue(id).await.unwrap();

    eventually(Duration::from_secs(2), "the job is failed", || {
        gone(&queue, id)
    })
    .await;
    assert_eq!(*handler.attempts.lock().unwrap(), [1, 2, 3]);
    assert_eq!(*handler.exhausted.lock().unwrap(), [3]);
    shutdown.cancel();
    task.await.unwrap();
}

#[tokio::test]
async fn a_job_lost_too_often_fails_without_running_again() {
    let queue = queue().await;
    let id = Uuid::new_v4();
    queue.enqueue(id).await.unwrap();
    // Two workers died holding it.
    for _ in 0..2 {
        queue
            .lease("dead", Duration::from_millis(1))
            .await
            .unwrap()
            .unwrap();
        tokio::time::sleep(Duration::from_millis(3)).await;
        assert_eq!(queue.reap_stalled().await.unwrap(), [id]);
    }
    let handler = AlwaysRetry::default();
    let (shutdown, task) = start(
        &queue,
        handler.clone(),
        RunnerConfig {
            max_attempts: 2,
            ..config("w")
        },
    );

    eventually(Duration::from_secs(2), "the job is failed", || {
        gone(&queue, id)
    })
    .await;
    assert!(handler.attempts.lock().unwrap().is_empty());
    assert_eq!(*handler.exhausted.lock().unwrap(), [3]);
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
