//! Per-node slots shared by all workers.

use crate::support::{prefix, redis, slots};
use berth_jobs::{Queue, QueueError};
use std::time::{Duration, Instant};

const TTL: Duration = Duration::from_secs(30);

#[tokio::test]
async fn the_limit_holds_across_holders_of_different_processes() {
    // Two worker processes: a connection each, the same keys.
    let prefix = prefix();
    let first = Queue::with_prefix(redis().await, &prefix).node_slots();
    let second = Queue::with_prefix(redis().await, &prefix).node_slots();

    let a = first
        .acquire("pve1", "run-a", 2, TTL)
        .await
        .unwrap()
        .expect("slot 1");
    let b = second
        .acquire("pve1", "run-b", 2, TTL)
        .await
        .unwrap()
        .expect("slot 2");
    assert!(
        second
            .acquire("pve1", "run-c", 2, TTL)
            .await
            .unwrap()
            .is_none(),
        "full"
    );
    assert!(
        first
            .acquire("pve2", "run-c", 2, TTL)
            .await
            .unwrap()
            .is_some(),
        "other node"
    );
    assert_eq!(first.holders("pve1").await.unwrap(), 2);

    a.release().await.unwrap();
    let c = second
        .acquire("pve1", "run-c", 2, TTL)
        .await
        .unwrap()
        .expect("freed slot");
    assert_eq!(first.holders("pve1").await.unwrap(), 2);
    drop((b, c));
}

#[tokio::test]
async fn an_expired_holder_frees_its_slot() {
    let slots = slots().await;
    let short = Duration::from_millis(150);
    let mut stale = slots
        .acquire("pve1", "crashed", 1, short)
        .await
        .unwrap()
        .unwrap();
    assert!(
        slots
            .acquire("pve1", "next", 1, TTL)
            .await
            .unwrap()
            .is_none()
    );

    let started = Instant::now();
    let next = slots
        .acquire_wait("pve1", "next", 1, TTL, Duration::from_secs(2))
        .await
        .unwrap()
        .expect("the slot comes free");
    let waited = started.elapsed();
    assert!(waited < short + Duration::from_millis(100), "{waited:?}");
    assert!(matches!(
        stale.renew(TTL).await,
        Err(QueueError::SlotLost { .. })
    ));
    std::mem::forget(stale);
    next.release().await.unwrap();
}

#[tokio::test]
async fn a_holder_renews_and_a_dropped_guard_releases() {
    let slots = slots().await;
    let mut guard = slots
        .acquire("pve1", "run", 1, Duration::from_millis(150))
        .await
        .unwrap()
        .unwrap();
    let before = guard.expires_at();
    tokio::time::sleep(Duration::from_millis(100)).await;
    guard.renew(Duration::from_millis(150)).await.unwrap();
    assert!(guard.expires_at() > before);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        slots
            .acquire("pve1", "other", 1, TTL)
            .await
            .unwrap()
            .is_none(),
        "renewed"
    );

    drop(guard);
    let waited = slots
        .acquire_wait("pve1", "other", 1, TTL, Duration::from_millis(100))
        .await
        .unwrap();
    assert!(waited.is_some(), "released on drop");
}

#[tokio::test]
async fn a_wait_gives_up_at_its_timeout() {
    let slots = slots().await;
    let _held = slots.acquire("pve1", "run", 1, TTL).await.unwrap().unwrap();
    let started = Instant::now();
    assert!(
        slots
            .acquire_wait("pve1", "other", 1, TTL, Duration::from_millis(120))
            .await
            .unwrap()
            .is_none()
    );
    assert!(started.elapsed() >= Duration::from_millis(120));
    assert!(matches!(
        slots.acquire("pve1", "x", 0, TTL).await,
        Err(QueueError::Invalid(_))
    ));
}
