//! Throughput and pickup latency of the queue through the `Runner`, on a real Redis
//! (`BERTH_TEST_REDIS_URL`, default the local one). Run with `cargo bench -p berth-jobs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use berth_jobs::{
    CancellationToken, JobContext, JobOutcome, Queue, Runner, RunnerConfig, handler_fn,
};
use fred::prelude::{Builder, ClientLike, Config};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use uuid::Uuid;

const THROUGHPUT_JOBS: usize = 5_000;
const LATENCY_SAMPLES: usize = 500;

#[tokio::main]
async fn main() {
    println!("| measurement | concurrency | result |");
    println!("|---|---|---|");
    for concurrency in [1, 8] {
        let rate = throughput(concurrency).await;
        println!("| no-op jobs through the runner | {concurrency} | {rate:.0} jobs/s |");
    }
    for concurrency in [1, 8] {
        let (p50, p99) = pickup_latency(concurrency).await;
        println!(
            "| pickup latency, enqueue → handler start (idle runner) | {concurrency} | p50 {:.2} ms, p99 {:.2} ms |",
            millis(p50),
            millis(p99)
        );
    }
}

async fn queue() -> Queue {
    let url = std::env::var("BERTH_TEST_REDIS_URL")
        .unwrap_or_else(|_| "redis://127.0.0.1:6379/".to_owned());
    let client = Builder::from_config(Config::from_url(&url).unwrap())
        .build()
        .unwrap();
    client.init().await.unwrap();
    Queue::with_prefix(client, &format!("berth-jobs-bench:{}:", Uuid::new_v4()))
}

fn config(concurrency: usize) -> RunnerConfig {
    RunnerConfig {
        concurrency,
        ..RunnerConfig::new("bench")
    }
}

/// Jobs per second for a backlog of no-op jobs, from the runner's start to the last ack.
async fn throughput(concurrency: usize) -> f64 {
    let queue = queue().await;
    let ids: Vec<_> = (0..THROUGHPUT_JOBS).map(|_| Uuid::new_v4()).collect();
    queue.ensure_enqueued(&ids).await.unwrap();

    let handled = Arc::new(AtomicUsize::new(0));
    let counter = handled.clone();
    let handler = handler_fn(move |_job: JobContext| {
        counter.fetch_add(1, Ordering::Relaxed);
        async { JobOutcome::Done }
    });
    let shutdown = CancellationToken::new();
    let started = Instant::now();
    let runner = tokio::spawn(
        Runner::new(queue.clone(), handler, config(concurrency)).run(shutdown.clone()),
    );
    // Handled is counted before the ack; the queue is empty once the last ack landed.
    while handled.load(Ordering::Relaxed) < THROUGHPUT_JOBS || queue.live_jobs().await.unwrap() > 0
    {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let elapsed = started.elapsed();
    shutdown.cancel();
    runner.await.unwrap().unwrap();
    THROUGHPUT_JOBS as f64 / elapsed.as_secs_f64()
}

/// One job at a time into an idle runner: the time from calling enqueue to the handler starting.
async fn pickup_latency(concurrency: usize) -> (Duration, Duration) {
    let queue = queue().await;
    let (started_tx, mut started_rx) = mpsc::unbounded_channel();
    let handler = handler_fn(move |_job: JobContext| {
        started_tx.send(Instant::now()).unwrap();
        async { JobOutcome::Done }
    });
    let shutdown = CancellationToken::new();
    let runner = tokio::spawn(
        Runner::new(queue.clone(), handler, config(concurrency)).run(shutdown.clone()),
    );
    // Let the runner go idle on its waiter first.
    tokio::time::sleep(Duration::from_millis(100)).await;

    let mut samples = Vec::with_capacity(LATENCY_SAMPLES);
    for _ in 0..LATENCY_SAMPLES {
        let enqueued = Instant::now();
        queue.enqueue(Uuid::new_v4()).await.unwrap();
        let started = started_rx.recv().await.unwrap();
        samples.push(started - enqueued);
        // Give the ack time to land, so the runner is idle again for the next sample.
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    shutdown.cancel();
    runner.await.unwrap().unwrap();
    samples.sort();
    (percentile(&samples, 0.50), percentile(&samples, 0.99))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
