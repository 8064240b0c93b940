//! A connected client, a queue under a prefix of its own, and waiting for conditions.

use berth_jobs::{Events, NodeSlots, Queue};
use fred::prelude::{Builder, Client, ClientLike, Config};
use std::time::Duration;
use tokio::time::Instant;

pub async fn redis() -> Client {
    let url = std::env::var("BERTH_TEST_REDIS_URL")
        .unwrap_or_else(|_| "redis://127.0.0.1:6379/".to_owned());
    let client = Builder::from_config(Config::from_url(&url).expect("valid redis url"))
        .build()
        .expect("redis client");
    client.init().await.expect("redis connects");
    client
}

pub fn prefix() -> String {
    format!("berth-jobs-test:{}:", uuid::Uuid::new_v4())
}

pub async fn queue() -> Queue {
    Queue::with_prefix(redis().await, &prefix())
}

pub async fn slots() -> NodeSlots {
    queue().await.node_slots()
}

pub async fn events() -> Events {
    queue().await.events()
}

/// Polls `condition` every few milliseconds; panics with `what` after `limit`.
pub async fn eventually<F, Fut>(limit: Duration, what: &str, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + limit;
    while !condition().await {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
