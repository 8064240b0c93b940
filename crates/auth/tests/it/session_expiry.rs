//! Session expiry against a real Redis: idle timeout, absolute lifetime, and the Redis TTL.

use crate::session::{key, meta, open_store};
use crate::support::{exists, pttl};
use berth_auth::session::{Session, SessionId};
use chrono::{TimeDelta, Utc};
use fred::prelude::{Expiration, KeysInterface};
use std::time::Duration;
use uuid::Uuid;

#[tokio::test]
async fn redis_ttl_is_the_smaller_of_idle_and_remaining_absolute_lifetime() {
    let (store, client, prefix) = open_store(Duration::from_secs(60), Duration::from_secs(2)).await;
    let (id, _) = store.create(Uuid::new_v4(), meta()).await.unwrap();
    let ttl = pttl(&client, &key(&prefix, &id)).await;
    assert!(
        ttl > 0 && ttl <= 2_000,
        "absolute lifetime bounds the TTL: {ttl}"
    );
    let (store, client, prefix) = open_store(Duration::from_secs(1), Duration::from_secs(60)).await;
    let (id, _) = store.create(Uuid::new_v4(), meta()).await.unwrap();
    store.get(&id).await.unwrap().unwrap();
    let ttl = pttl(&client, &key(&prefix, &id)).await;
    assert!(
        ttl > 0 && ttl <= 1_000,
        "idle timeout bounds the TTL: {ttl}"
    );
}

#[tokio::test]
async fn an_idle_session_expires() {
    let (store, _, _) = open_store(Duration::from_secs(1), Duration::from_secs(60)).await;
    let user = Uuid::new_v4();
    let (id, _) = store.create(user, meta()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(store.get(&id).await.unwrap(), None);
    assert!(store.list_for_user(user).await.unwrap().is_empty());
}

#[tokio::test]
async fn use_keeps_a_session_alive_but_not_past_its_absolute_lifetime() {
    let (store, _, _) = open_store(Duration::from_secs(1), Duration::from_millis(2_000)).await;
    let (id, _) = store.create(Uuid::new_v4(), meta()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(store.get(&id).await.unwrap().is_some());
    tokio::time::sleep(Duration::from_millis(600)).await;
    // 1.2 s since creation, more than the idle timeout: alive only because it was used.
    assert!(store.get(&id).await.unwrap().is_some());
    tokio::time::sleep(Duration::from_millis(900)).await;
    // Used 0.9 s ago (within idle), but 2.1 s old: past the absolute lifetime.
    assert_eq!(store.get(&id).await.unwrap(), None);
}

#[tokio::test]
async fn expiry_is_enforced_even_while_redis_still_holds_the_record() {
    // Records written directly with a long Redis TTL: only the store's own check can end them.
    let (store, client, prefix) =
        open_store(Duration::from_secs(60), Duration::from_secs(3_600)).await;
    let now = Utc::now();
    let too_old = Session {
        user_id: Uuid::new_v4(),
        created_at: now - TimeDelta::seconds(3_601),
        last_seen_at: now,
        ip: None,
        user_agent: None,
    };
    let idle = Session {
        created_at: now,
        last_seen_at: now - TimeDelta::seconds(61),
        ..too_old.clone()
    };
    let fresh = Session {
        created_at: now,
        last_seen_at: now,
        ..too_old.clone()
    };
    for (session, alive) in [(too_old, false), (idle, false), (fresh, true)] {
        let id = SessionId::generate().unwrap();
        let json = serde_json::to_string(&session).unwrap();
        let _: () = client
            .set(
                key(&prefix, &id),
                json,
                Some(Expiration::EX(600)),
                None,
                false,
            )
            .await
            .unwrap();
        assert_eq!(
            store.get(&id).await.unwrap().is_some(),
            alive,
            "{session:?}"
        );
        assert_eq!(
            exists(&client, &key(&prefix, &id)).await,
            alive,
            "expired records are deleted"
        );
    }
}

#[tokio::test]
async fn rotating_an_unknown_or_expired_session_gives_nothing() {
    let (store, _, _) = open_store(Duration::from_secs(1), Duration::from_secs(60)).await;
    assert_eq!(
        store.rotate(&SessionId::generate().unwrap()).await.unwrap(),
        None
    );
    let (id, _) = store.create(Uuid::new_v4(), meta()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(store.rotate(&id).await.unwrap(), None);
}
