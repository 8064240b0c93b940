//! The protocol, one operation at a time.

use crate::support::queue;
use berth_jobs::{JobState, QueueError};
use std::time::{Duration, Instant};
use uuid::Uuid;

const TTL: Duration = Duration::from_secs(30);

#[tokio::test]
async fn a_job_is_leased_once_and_leaves_when_acked() {
    let queue = queue().await;
    let id = Uuid::new_v4();
    assert!(queue.enqueue(id).await.unwrap());
    assert_eq!(queue.state(id).await.unwrap(), Some(JobState::Ready));

    let lease = queue.lease("w1", TTL).await.unwrap().expect("a job");
    assert_eq!((lease.id, lease.attempt), (id, 1));
    assert_eq!(queue.state(id).await.unwrap(), Some(JobState::Leased));
    assert!(queue.lease("w2", TTL).await.unwrap().is_none());

    queue.ack(&lease).await.unwrap();
    assert_eq!(queue.state(id).await.unwrap(), None);
    assert!(matches!(
        queue.ack(&lease).await,
        Err(QueueError::LeaseLost(_))
    ));
}

#[tokio::test]
async fn jobs_are_leased_in_the_order_they_were_enqueued() {
    let queue = queue().await;
    let ids: Vec<_> = (0..5).map(|_| Uuid::new_v4()).collect();
    for id in &ids {
        queue.enqueue(*id).await.unwrap();
    }
    let mut leased = Vec::new();
    while let Some(lease) = queue.lease("w", TTL).await.unwrap() {
        leased.push(lease.id);
    }
    assert_eq!(leased, ids);
}

#[tokio::test]
async fn enqueue_never_duplicates_a_ready_leased_or_delayed_job() {
    let queue = queue().await;
    let id = Uuid::new_v4();
    assert!(queue.enqueue(id).await.unwrap());
    assert!(!queue.enqueue(id).await.unwrap(), "ready");

    let lease = queue.lease("w", TTL).await.unwrap().unwrap();
    assert!(!queue.enqueue(id).await.unwrap(), "leased");
    assert!(queue.lease("w", TTL).await.unwrap().is_none());

    queue.retry(&lease, Duration::from_secs(60)).await.unwrap();
    assert_eq!(queue.state(id).await.unwrap(), Some(JobState::Delayed));
    assert!(!queue.enqueue(id).await.unwrap(), "delayed");
    assert!(queue.lease("w", TTL).await.unwrap().is_none());
}

#[tokio::test]
async fn ensure_enqueued_adds_only_the_missing_jobs() {
    let queue = queue().await;
    let ids: Vec<_> = (0..1200).map(|_| Uuid::new_v4()).collect();
    queue.enqueue(ids[0]).await.unwrap();
    let leased = queue.lease("w", TTL).await.unwrap().unwrap();
    queue.enqueue(ids[1]).await.unwrap();

    let added = queue.ensure_enqueued(&ids).await.unwrap();
    assert_eq!(
        added,
        ids[2..],
        "everything but the leased and the ready job"
    );
    assert!(queue.ensure_enqueued(&ids).await.unwrap().is_empty());
    assert_eq!(leased.id, ids[0]);
}

#[tokio::test]
async fn an_expired_lease_is_reaped_and_its_token_is_dead() {
    let queue = queue().await;
    let id = Uuid::new_v4();
    queue.enqueue(id).await.unwrap();
    let ttl = Duration::from_millis(200);
    let stale = queue.lease("w1", ttl).await.unwrap().unwrap();
    assert!(
        queue.reap_stalled().await.unwrap().is_empty(),
        "not expired yet"
    );

    tokio::time::sleep(ttl + Duration::from_millis(20)).await;
    assert_eq!(queue.reap_stalled().await.unwrap(), vec![id]);
    assert_eq!(queue.state(id).await.unwrap(), Some(JobState::Ready));

    let fresh = queue.lease("w2", TTL).await.unwrap().unwrap();
    assert_eq!((fresh.id, fresh.attempt), (id, 2));
    assert_ne!(fresh.token, stale.token);
    assert!(matches!(
        queue.renew(&stale, TTL).await,
        Err(QueueError::LeaseLost(_))
    ));
    assert!(matches!(
        queue.ack(&stale).await,
        Err(QueueError::LeaseLost(_))
    ));
    assert!(matches!(
        queue.retry(&stale, Duration::ZERO).await,
        Err(QueueError::LeaseLost(_))
    ));
    queue.renew(&fresh, TTL).await.unwrap();
    queue.ack(&fresh).await.unwrap();
}

#[tokio::test]
async fn renewing_keeps_a_lease_from_being_reaped() {
    let queue = queue().await;
    queue.enqueue(Uuid::new_v4()).await.unwrap();
    let ttl = Duration::from_millis(150);
    let lease = queue.lease("w", ttl).await.unwrap().unwrap();
    for _ in 0..4 {
        tokio::time::sleep(ttl / 2).await;
        let renewal = queue.renew(&lease, ttl).await.unwrap();
        assert!(renewal.expires_at > lease.expires_at);
        assert!(queue.reap_stalled().await.unwrap().is_empty());
    }
    queue.ack(&lease).await.unwrap();
}

#[tokio::test]
async fn a_retry_waits_for_its_delay_and_counts_the_next_attempt() {
    let queue = queue().await;
    let id = Uuid::new_v4();
    queue.enqueue(id).await.unwrap();
    let lease = queue.lease("w", TTL).await.unwrap().unwrap();
    let delay = Duration::from_millis(250);
    let retried = Instant::now();
    queue.retry(&lease, delay).await.unwrap();

    assert!(queue.lease("w", TTL).await.unwrap().is_none());
    let waiter = queue.waiter().unwrap();
    let again = waiter
        .lease("w", TTL, Duration::from_secs(2))
        .await
        .unwrap()
        .unwrap();
    let waited = retried.elapsed();
    assert!(waited >= delay, "leased after {waited:?}");
    assert!(
        waited < delay + Duration::from_millis(150),
        "leased after {waited:?}"
    );
    assert_eq!((again.id, again.attempt), (id, 2));
}

#[tokio::test]
async fn a_released_job_is_next_and_keeps_its_attempt_count() {
    let queue = queue().await;
    let (first, second) = (Uuid::new_v4(), Uuid::new_v4());
    queue.enqueue(first).await.unwrap();
    queue.enqueue(second).await.unwrap();
    let lease = queue.lease("w", TTL).await.unwrap().unwrap();
    queue.release(&lease).await.unwrap();
    let again = queue.lease("w", TTL).await.unwrap().unwrap();
    assert_eq!((again.id, again.attempt), (first, 1));
}

#[tokio::test]
async fn a_waiter_is_woken_by_an_enqueue() {
    let queue = queue().await;
    let waiter = queue.waiter().unwrap();
    let id = Uuid::new_v4();
    let producer = queue.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        producer.enqueue(id).await.unwrap();
    });
    let started = Instant::now();
    let lease = waiter
        .lease("w", TTL, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(lease.map(|l| l.id), Some(id));
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    assert!(
        waiter
            .lease("w", TTL, Duration::from_millis(30))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_cancel_flag_is_seen_by_the_heartbeat_and_cleared_when_settled() {
    let queue = queue().await;
    let id = Uuid::new_v4();
    assert!(!queue.request_cancel(id).await.unwrap(), "no such job");
    queue.enqueue(id).await.unwrap();
    let lease = queue.lease("w", TTL).await.unwrap().unwrap();
    assert!(!queue.renew(&lease, TTL).await.unwrap().cancel_requested);

    assert!(queue.request_cancel(id).await.unwrap());
    assert!(queue.cancel_requested(id).await.unwrap());
    assert!(queue.renew(&lease, TTL).await.unwrap().cancel_requested);
    queue.fail(&lease).await.unwrap();
    assert!(!queue.cancel_requested(id).await.unwrap());
    assert_eq!(queue.state(id).await.unwrap(), None);
}

#[tokio::test]
async fn a_zero_ttl_is_refused() {
    let queue = queue().await;
    assert!(matches!(
        queue.lease("w", Duration::ZERO).await,
        Err(QueueError::Invalid(_))
    ));
}
