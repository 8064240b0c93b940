//! API tokens: lookup of active tokens, expiry by the database clock, revocation, names.

use crate::users::new_user;
use berth_db::api_tokens::{self, LOOKUP_UNIQUE, NewApiToken, USER_NAME_UNIQUE};
use berth_db::testing::TestDatabase;
use berth_db::{DbError, users};
use berth_domain::Role;
use chrono::{Duration, Utc};
use uuid::Uuid;

const HASH: &[u8] = &[7; 32];

fn token<'a>(user_id: Uuid, name: &'a str, lookup: &'a str) -> NewApiToken<'a> {
    NewApiToken {
        user_id,
        name,
        lookup,
        secret_hash: HASH,
        role: Role::Operator,
        expires_at: None,
    }
}

#[tokio::test]
async fn active_tokens_are_found_by_lookup_with_their_owner() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let owner = users::insert(&mut conn, &new_user("ci", Role::Admin))
        .await
        .unwrap();
    let expires_at = Some(Utc::now() + Duration::days(30));
    let made = api_tokens::insert(
        &mut conn,
        &NewApiToken {
            expires_at,
            ..token(owner.id, "ci", "abcd1234")
        },
    )
    .await
    .unwrap();
    assert_eq!(made.role, Role::Operator);
    assert_eq!(made.secret_hash, HASH);
    assert!(made.last_used_at.is_none() && made.revoked_at.is_none());
    assert!(!format!("{made:?}").contains("secret"), "{made:?}");

    let (found, user) = api_tokens::find_active_by_lookup(&mut conn, "abcd1234")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (found.id, user.id, user.role),
        (made.id, owner.id, Role::Admin)
    );
    assert!(
        api_tokens::find_active_by_lookup(&mut conn, "zzzz9999")
            .await
            .unwrap()
            .is_none()
    );

    assert!(
        api_tokens::touch_last_used(&mut conn, made.id)
            .await
            .unwrap()
    );
    assert!(
        !api_tokens::touch_last_used(&mut conn, Uuid::new_v4())
            .await
            .unwrap()
    );
    let (used, _) = api_tokens::find_active_by_lookup(&mut conn, "abcd1234")
        .await
        .unwrap()
        .unwrap();
    assert!(used.last_used_at.is_some());

    // A disabled owner's tokens stop working, and work again when re-enabled.
    users::set_disabled(&mut conn, owner.id, true)
        .await
        .unwrap();
    assert!(
        api_tokens::find_active_by_lookup(&mut conn, "abcd1234")
            .await
            .unwrap()
            .is_none()
    );
    users::set_disabled(&mut conn, owner.id, false)
        .await
        .unwrap();
    assert!(
        api_tokens::find_active_by_lookup(&mut conn, "abcd1234")
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn expired_tokens_are_not_active() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let owner = users::insert(&mut conn, &new_user("ci", Role::Operator))
        .await
        .unwrap();
    let past = Some(Utc::now() - Duration::minutes(1));
    api_tokens::insert(
        &mut conn,
        &NewApiToken {
            expires_at: past,
            ..token(owner.id, "old", "expired01")
        },
    )
    .await
    .unwrap();
    assert!(
        api_tokens::find_active_by_lookup(&mut conn, "expired01")
            .await
            .unwrap()
            .is_none()
    );

    // Judged by the database's clock: a token that expires a moment from now works, then stops.
    let soon = diesel_async::RunQueryDsl::get_result::<chrono::DateTime<Utc>>(
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Timestamptz>(
            "now() + interval '1 second'",
        )),
        &mut conn,
    )
    .await
    .unwrap();
    api_tokens::insert(
        &mut conn,
        &NewApiToken {
            expires_at: Some(soon),
            ..token(owner.id, "soon", "soon0001")
        },
    )
    .await
    .unwrap();
    assert!(
        api_tokens::find_active_by_lookup(&mut conn, "soon0001")
            .await
            .unwrap()
            .is_some()
    );
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert!(
        api_tokens::find_active_by_lookup(&mut conn, "soon0001")
            .await
            .unwrap()
            .is_none()
    );
    // Still listed, for the owner to see.
    assert_eq!(
        api_tokens::list_for_user(&mut conn, owner.id)
            .await
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn revoking_respects_the_owner_and_frees_the_name() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let alice = users::insert(&mut conn, &new_user("alice", Role::Operator))
        .await
        .unwrap();
    let bob = users::insert(&mut conn, &new_user("bob", Role::Operator))
        .await
        .unwrap();
    let t = api_tokens::insert(&mut conn, &token(alice.id, "deploy", "alice0001"))
        .await
        .unwrap();

    // Same name for the same user: refused while live; another user may use it.
    let err = api_tokens::insert(&mut conn, &token(alice.id, "deploy", "alice0002"))
        .await
        .unwrap_err();
    assert!(err.is_conflict_on(USER_NAME_UNIQUE), "{err:?}");
    api_tokens::insert(&mut conn, &token(bob.id, "deploy", "bob00001"))
        .await
        .unwrap();
    let err = api_tokens::insert(&mut conn, &token(bob.id, "other", "alice0001"))
        .await
        .unwrap_err();
    assert!(err.is_conflict_on(LOOKUP_UNIQUE), "{err:?}");

    assert!(
        !api_tokens::revoke(&mut conn, t.id, Some(bob.id))
            .await
            .unwrap(),
        "not bob's"
    );
    assert!(
        api_tokens::find_active_by_lookup(&mut conn, "alice0001")
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        api_tokens::revoke(&mut conn, t.id, Some(alice.id))
            .await
            .unwrap()
    );
    assert!(
        !api_tokens::revoke(&mut conn, t.id, None).await.unwrap(),
        "already revoked"
    );
    assert!(
        api_tokens::find_active_by_lookup(&mut conn, "alice0001")
            .await
            .unwrap()
            .is_none()
    );

    // The name is free again; an admin (no owner) revokes anyone's.
    let again = api_tokens::insert(&mut conn, &token(alice.id, "deploy", "alice0003"))
        .await
        .unwrap();
    assert!(api_tokens::revoke(&mut conn, again.id, None).await.unwrap());
    assert!(
        !api_tokens::revoke(&mut conn, Uuid::new_v4(), None)
            .await
            .unwrap()
    );

    let listed = api_tokens::list_for_user(&mut conn, alice.id)
        .await
        .unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|t| t.revoked_at.is_some()));
    assert_eq!(listed[0].id, again.id, "newest first");
}

#[tokio::test]
async fn malformed_tokens_are_refused() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let owner = users::insert(&mut conn, &new_user("ci", Role::Operator))
        .await
        .unwrap();
    for bad in [
        token(owner.id, "", "lookup01"),
        token(owner.id, "x", "short"),
        token(owner.id, "x", "has_under"),
    ] {
        let err = api_tokens::insert(&mut conn, &bad).await.unwrap_err();
        assert!(matches!(err, DbError::Invalid { .. }), "{err:?}");
    }
    let short_hash = NewApiToken {
        secret_hash: &[1; 4],
        ..token(owner.id, "x", "lookup01")
    };
    assert!(matches!(
        api_tokens::insert(&mut conn, &short_hash).await,
        Err(DbError::Invalid { .. })
    ));
    let orphan = token(Uuid::new_v4(), "x", "lookup01");
    assert!(matches!(
        api_tokens::insert(&mut conn, &orphan).await,
        Err(DbError::Reference { .. })
    ));
}
