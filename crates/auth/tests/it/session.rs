//! Sessions against a real Redis: lifecycle, rotation, listing, revocation and the cookie.

use crate::support::{prefix, pttl, redis};
use berth_auth::session::{
    CookieConfig, SessionConfig, SessionId, SessionMeta, SessionStore,
    session_id_from_cookie_header, set_cookie_header,
};
use fred::prelude::{Client, KeysInterface, SetsInterface};
use std::time::Duration;
use uuid::Uuid;

pub(crate) async fn open_store(
    idle: Duration,
    absolute: Duration,
) -> (SessionStore, Client, String) {
    let client = redis().await;
    let prefix = prefix();
    let config = SessionConfig {
        prefix: prefix.clone(),
        idle_timeout: idle,
        absolute_lifetime: absolute,
    };
    (SessionStore::new(client.clone(), config), client, prefix)
}

async fn default_store() -> (SessionStore, Client, String) {
    open_store(Duration::from_secs(1800), Duration::from_secs(43_200)).await
}

pub(crate) fn meta() -> SessionMeta {
    SessionMeta {
        ip: Some("192.0.2.10".parse().unwrap()),
        user_agent: Some("Firefox/140".into()),
    }
}

pub(crate) fn key(prefix: &str, id: &SessionId) -> String {
    format!("{prefix}session:{}", id.expose())
}

#[tokio::test]
async fn a_created_session_can_be_read_back_and_is_touched() {
    let (store, client, prefix) = default_store().await;
    let user = Uuid::new_v4();
    let (id, created) = store.create(user, meta()).await.unwrap();
    assert_eq!(created.user_id, user);
    assert_eq!(created.ip, meta().ip);
    assert_eq!(created.user_agent.as_deref(), Some("Firefox/140"));
    let read = store.get(&id).await.unwrap().expect("session exists");
    assert_eq!(read.user_id, user);
    assert_eq!(read.created_at, created.created_at);
    // With a 30 min idle timeout, Redis keeps it for at most 30 min.
    let ttl = pttl(&client, &key(&prefix, &id)).await;
    assert!(ttl > 1_790_000 && ttl <= 1_800_000, "{ttl}");
}

#[tokio::test]
async fn a_read_writes_the_last_use_back_only_once_it_is_a_little_old() {
    // A 6 s idle timeout: the last use is written back once it is 100 ms old.
    let (store, client, prefix) = open_store(Duration::from_secs(6), Duration::from_secs(60)).await;
    assert_eq!(store.config().touch_after(), Duration::from_millis(100));
    let (id, created) = store.create(Uuid::new_v4(), meta()).await.unwrap();
    let stored = || async {
        let json: String = client.get(key(&prefix, &id)).await.unwrap();
        serde_json::from_str::<berth_auth::session::Session>(&json).unwrap()
    };

    let soon = store.get(&id).await.unwrap().unwrap();
    assert_eq!(
        soon.last_seen_at, created.last_seen_at,
        "written back at once"
    );
    assert_eq!(stored().await.last_seen_at, created.last_seen_at);

    tokio::time::sleep(Duration::from_millis(150)).await;
    let later = store.get(&id).await.unwrap().unwrap();
    assert!(
        later.last_seen_at > created.last_seen_at,
        "never written back"
    );
    assert_eq!(stored().await.last_seen_at, later.last_seen_at);
    // And the TTL starts again from the new last use.
    let ttl = pttl(&client, &key(&prefix, &id)).await;
    assert!(ttl > 5_800 && ttl <= 6_000, "{ttl}");
}

#[test]
fn the_write_back_interval_is_a_sixtieth_of_the_idle_timeout_up_to_30_s() {
    let config = |idle| SessionConfig {
        prefix: String::new(),
        idle_timeout: Duration::from_secs(idle),
        absolute_lifetime: Duration::from_secs(43_200),
    };
    assert_eq!(config(60).touch_after(), Duration::from_secs(1));
    assert_eq!(config(1800).touch_after(), Duration::from_secs(30));
    assert_eq!(config(86_400).touch_after(), Duration::from_secs(30));
}

#[tokio::test]
async fn an_unknown_id_has_no_session() {
    let (store, _, _) = default_store().await;
    let id = SessionId::generate().unwrap();
    assert_eq!(store.get(&id).await.unwrap(), None);
}

#[tokio::test]
async fn an_unreadable_record_is_no_session() {
    let (store, client, prefix) = default_store().await;
    let id = SessionId::generate().unwrap();
    let _: () = client
        .set(key(&prefix, &id), "{not json", None, None, false)
        .await
        .unwrap();
    assert_eq!(store.get(&id).await.unwrap(), None);
}

#[tokio::test]
async fn rotation_moves_the_session_to_a_new_id_and_kills_the_old_one() {
    let (store, _, _) = default_store().await;
    let user = Uuid::new_v4();
    let (old, created) = store.create(user, meta()).await.unwrap();
    let new = store.rotate(&old).await.unwrap().expect("rotated");
    assert_ne!(new, old);
    assert_eq!(store.get(&old).await.unwrap(), None);
    let moved = store.get(&new).await.unwrap().unwrap();
    assert_eq!(
        (moved.user_id, moved.created_at),
        (user, created.created_at)
    );
    assert_eq!(moved.ip, created.ip);
    // The old id cannot be rotated again (e.g. by someone who stole it).
    assert_eq!(store.rotate(&old).await.unwrap(), None);
    let listed: Vec<SessionId> = store
        .list_for_user(user)
        .await
        .unwrap()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(listed, vec![new]);
}

#[tokio::test]
async fn logout_deletes_the_session() {
    let (store, _, _) = default_store().await;
    let user = Uuid::new_v4();
    let (id, _) = store.create(user, meta()).await.unwrap();
    assert!(store.delete(&id).await.unwrap());
    assert_eq!(store.get(&id).await.unwrap(), None);
    assert!(!store.delete(&id).await.unwrap());
    assert!(store.list_for_user(user).await.unwrap().is_empty());
}

#[tokio::test]
async fn listing_shows_a_users_live_sessions_newest_use_first_and_drops_stale_entries() {
    // A 6 s idle timeout: a use is recorded once the last one is 100 ms old.
    let (store, client, prefix) = open_store(Duration::from_secs(6), Duration::from_secs(60)).await;
    let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
    let (a1, _) = store.create(alice, meta()).await.unwrap();
    let (a2, _) = store.create(alice, meta()).await.unwrap();
    let (a3, _) = store.create(alice, meta()).await.unwrap();
    let (b1, _) = store.create(bob, meta()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    store.get(&a1).await.unwrap().unwrap();
    // a3 vanishes behind the store's back, as if Redis had expired it.
    let _: i64 = client.del(key(&prefix, &a3)).await.unwrap();
    let listed = store.list_for_user(alice).await.unwrap();
    let ids: Vec<&SessionId> = listed.iter().map(|(id, _)| id).collect();
    assert_eq!(ids, vec![&a1, &a2], "a1 was used last, a3 is gone");
    assert!(listed.iter().all(|(_, s)| s.user_id == alice));
    let index = format!("{prefix}user-sessions:{alice}");
    assert!(
        !client
            .sismember::<bool, _, _>(&index, a3.expose())
            .await
            .unwrap()
    );
    let bobs: Vec<SessionId> = store
        .list_for_user(bob)
        .await
        .unwrap()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(bobs, vec![b1]);
}

#[tokio::test]
async fn a_user_can_revoke_only_their_own_sessions() {
    let (store, _, _) = default_store().await;
    let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
    let (a1, _) = store.create(alice, meta()).await.unwrap();
    let (a2, _) = store.create(alice, meta()).await.unwrap();
    let (b1, _) = store.create(bob, meta()).await.unwrap();
    assert!(
        !store.revoke(alice, &b1).await.unwrap(),
        "not alice's session"
    );
    assert!(store.get(&b1).await.unwrap().is_some());
    assert!(store.revoke(alice, &a2).await.unwrap());
    assert_eq!(store.get(&a2).await.unwrap(), None);
    assert!(store.get(&a1).await.unwrap().is_some());
    assert!(!store.revoke(alice, &a2).await.unwrap(), "already gone");
}

#[tokio::test]
async fn revoke_all_ends_every_session_of_one_user() {
    let (store, _, _) = default_store().await;
    let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
    let (a1, _) = store.create(alice, meta()).await.unwrap();
    let (a2, _) = store.create(alice, meta()).await.unwrap();
    let (b1, _) = store.create(bob, meta()).await.unwrap();
    assert_eq!(store.revoke_all(alice).await.unwrap(), 2);
    assert_eq!(store.get(&a1).await.unwrap(), None);
    assert_eq!(store.get(&a2).await.unwrap(), None);
    assert!(store.list_for_user(alice).await.unwrap().is_empty());
    assert!(store.get(&b1).await.unwrap().is_some());
    assert_eq!(store.revoke_all(alice).await.unwrap(), 0);
}

#[tokio::test]
async fn the_cookie_carries_a_usable_id_and_malformed_cookies_find_nothing() {
    let (store, _, _) = default_store().await;
    let config = CookieConfig::SECURE;
    let (id, _) = store.create(Uuid::new_v4(), meta()).await.unwrap();
    let set_cookie = set_cookie_header(&id, &config);
    // What the browser sends back: the name=value pair, among other cookies.
    let pair = set_cookie.split(';').next().unwrap();
    let header = format!("lang=en; {pair}");
    let parsed = session_id_from_cookie_header(&header, &config).unwrap();
    assert!(store.get(&parsed).await.unwrap().is_some());
    let forged_upper = pair
        .to_uppercase()
        .replace("__HOST-BERTH_SESSION", "__Host-berth_session");
    for bad in [
        format!("{pair}0"),
        forged_upper,
        "__Host-berth_session=../../etc/passwd".to_string(),
        "__Host-berth_session=*".to_string(),
        format!("berth_session={}", id.expose()),
    ] {
        assert_eq!(session_id_from_cookie_header(&bad, &config), None, "{bad}");
    }
}
