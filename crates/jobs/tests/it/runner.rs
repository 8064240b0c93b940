//! The runner: concurrency, exactly-once handling, attempts, panics, config.

use crate::support::{eventually, queue, redis};
use berth_jobs::{
    CancellationToken, Handler, JobContext, JobOutcome, Queue, Runner, RunnerConfig, handler_fn,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinHandle;
use uuid::Uuid;

pub fn config(worker: &str) -> RunnerConfig {
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

pub fn start<H: Handler>(
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

pub async fn gone(queue: &Queue, id: Uuid) -> bool {
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

/// A job whose first two leases expired unsettled, as when two workers died holding it.
async fn enqueued_and_lost_twice(queue: &Queue) -> Uuid {
    let id = Uuid::new_v4();
    queue.enqueue(id).await.unwrap();
    for _ in 0..2 {
        queue
            .lease("dead", Duration::from_millis(1))
            .await
            .unwrap()
            .unwrap();
        tokio::time::sleep(Duration::from_millis(3)).await;
        assert_eq!(queue.reap_stalled().await.unwrap(), [id]);
    }
    id
}

#[tokio::test]
async fn a_job_lost_too_often_fails_without_running_again() {
    let queue = queue().await;
    // Two workers died holding it.
    let id = enqueued_and_lost_twice(&queue).await;
    let handler = AlwaysRetry::default();
    let (shutdown, task) = start(
        &queue,
        handler.clone(),
        RunnerConfig {
            max_lost: 1,
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
async fn leases_lost_to_dead_workers_do_not_use_up_the_retries() {
    let queue = queue().await;
    let id = enqueued_and_lost_twice(&queue).await;
    let handler = AlwaysRetry::default();
    let (shutdown, task) = start(
        &queue,
        handler.clone(),
        RunnerConfig {
            max_attempts: 2,
            ..config("w")
        },
    );
    eventually(Duration::from_secs(3), "the job is failed", || {
        gone(&queue, id)
    })
    .await;
    // Leases 3 and 4 are its first two real attempts: both ran, the second was the last.
    assert_eq!(*handler.attempts.lock().unwrap(), [3, 4]);
    assert_eq!(*handler.exhausted.lock().unwrap(), [4]);
    shutdown.cancel();
    task.await.unwrap();
}

#[tokio::test]
async fn a_job_whose_handler_panicked_runs_again_after_its_lease_expires() {
    let queue = queue().await;
    let attempts: Arc<Mutex<Vec<u32>>> = Arc::default();
    let handler = {
        let attempts = attempts.clone();
        handler_fn(move |job: JobContext| {
            attempts.lock().unwrap().push(job.attempt);
            async move {
                assert!(job.attempt > 1, "the first attempt panics");
                JobOutcome::Done
            }
        })
    };
    let (shutdown, task) = start(&queue, handler, config("w"));
    let id = Uuid::new_v4();
    queue.enqueue(id).await.unwrap();
    eventually(Duration::from_secs(3), "the job is done", || {
        gone(&queue, id)
    })
    .await;
    assert_eq!(*attempts.lock().unwrap(), [1, 2]);
    shutdown.cancel();
    task.await.unwrap();
}
