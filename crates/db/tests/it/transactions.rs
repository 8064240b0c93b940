//! Users and the audit trail in real PostgreSQL transactions: a change and its audit entry
//! commit together or not at all, and the last-admin guard serialises concurrent demotions.

use crate::users::new_user;
use berth_db::audit::{self, AuditFilter, NewAuditEntry, Outcome};
use berth_db::testing::TestDatabase;
use berth_db::{DbError, users};
use berth_domain::Role;
use diesel_async::AsyncConnection;

fn created(actor: &str) -> NewAuditEntry {
    NewAuditEntry::new(actor, "user.create", Outcome::Success).correlation_id("req-1")
}

#[tokio::test]
async fn insert_audited_writes_the_user_and_its_entry() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let (user, entry) = users::insert_audited(
        &mut conn,
        &new_user("alice", Role::Viewer),
        &created("system"),
    )
    .await
    .unwrap();
    assert_eq!(entry.target_type.as_deref(), Some("user"));
    assert_eq!(entry.target_id, Some(user.id.to_string()));
    assert_eq!(
        audit::count(&mut conn, &AuditFilter::default())
            .await
            .unwrap(),
        1
    );

    // A failing insert leaves no entry behind: the conflict rolls the whole transaction back.
    let err = users::insert_audited(
        &mut conn,
        &new_user("ALICE", Role::Viewer),
        &created("system"),
    )
    .await
    .unwrap_err();
    assert!(err.is_conflict_on(users::USERNAME_UNIQUE), "{err:?}");
    assert_eq!(
        audit::count(&mut conn, &AuditFilter::default())
            .await
            .unwrap(),
        1
    );

    // And a refused entry leaves no user behind.
    let bad_entry = NewAuditEntry::new("", "user.create", Outcome::Success);
    let err = users::insert_audited(&mut conn, &new_user("bob", Role::Viewer), &bad_entry)
        .await
        .unwrap_err();
    assert!(matches!(err, DbError::Invalid { .. }), "{err:?}");
    assert!(
        users::find_by_username(&mut conn, "bob")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn callers_compose_their_own_transactions() {
    let db = TestDatabase::create().await.unwrap();
    let pool = db.pool().unwrap();
    let mut conn = pool.get().await.unwrap();
    let admin = users::insert(&mut conn, &new_user("root", Role::Admin))
        .await
        .unwrap();

    // The pattern for every audited mutation: the change and the entry on one connection.
    let promoted = conn
        .transaction::<_, DbError, _>(async |conn| {
            let bob = users::insert(conn, &new_user("bob", Role::Viewer)).await?;
            let bob = users::update_role(conn, bob.id, Role::Operator).await?;
            let bob = bob.ok_or(DbError::Migration("vanished".into()))?;
            let entry = NewAuditEntry::new("Root", "user.role", Outcome::Success)
                .actor(admin.id)
                .target("user", bob.id.to_string());
            audit::insert(conn, &entry).await?;
            Ok(bob)
        })
        .await
        .unwrap();
    assert_eq!(promoted.role, Role::Operator);

    // Rolled back: neither the user nor the entry exists afterwards, seen from another connection.
    let result = conn
        .transaction::<(), DbError, _>(async |conn| {
            let carol = users::insert(conn, &new_user("carol", Role::Viewer)).await?;
            audit::insert(
                conn,
                &created("Root")
                    .actor(admin.id)
                    .target("user", carol.id.to_string()),
            )
            .await?;
            // Visible inside the transaction...
            assert!(users::find_by_username(conn, "carol").await?.is_some());
            Err(DbError::Query(diesel::result::Error::RollbackTransaction))
        })
        .await;
    assert!(result.is_err());
    let mut other = pool.get().await.unwrap();
    assert!(
        users::find_by_username(&mut other, "carol")
            .await
            .unwrap()
            .is_none()
    );
    let entries = audit::list(&mut other, &AuditFilter::default(), Default::default())
        .await
        .unwrap();
    assert_eq!(entries.total, 1);
    assert_eq!(entries.entries[0].action, "user.role");
    // The connection is usable again after the rollback.
    assert_eq!(users::count(&mut conn).await.unwrap(), 2);
}

#[tokio::test]
async fn the_last_admin_guard_serialises_concurrent_demotions() {
    let db = TestDatabase::create().await.unwrap();
    let pool = db.pool().unwrap();
    let mut setup = pool.get().await.unwrap();
    let a = users::insert(&mut setup, &new_user("a", Role::Admin))
        .await
        .unwrap();
    let b = users::insert(&mut setup, &new_user("b", Role::Admin))
        .await
        .unwrap();

    // Demotes `target` unless it would leave no admin; reports whether it did.
    async fn demote(
        conn: &mut berth_db::Connection,
        target: uuid::Uuid,
        hold: Option<tokio::sync::oneshot::Receiver<()>>,
        locked: Option<tokio::sync::oneshot::Sender<()>>,
    ) -> bool {
        conn.transaction::<bool, DbError, _>(async move |conn| {
            if users::count_admins_for_update(conn).await? <= 1 {
                return Ok(false);
            }
            users::update_role(conn, target, Role::Operator).await?;
            if let Some(locked) = locked {
                let _ = locked.send(());
            }
            if let Some(hold) = hold {
                let _ = hold.await;
            }
            Ok(true)
        })
        .await
        .unwrap()
    }

    let (locked_tx, locked_rx) = tokio::sync::oneshot::channel();
    let (go_tx, go_rx) = tokio::sync::oneshot::channel();
    let mut c1 = pool.get().await.unwrap();
    let mut c2 = pool.get().await.unwrap();
    let first =
        tokio::spawn(async move { demote(&mut c1, a.id, Some(go_rx), Some(locked_tx)).await });
    locked_rx.await.unwrap();
    let second = tokio::spawn(async move { demote(&mut c2, b.id, None, None).await });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        !second.is_finished(),
        "the second demotion waits for the first"
    );
    go_tx.send(()).unwrap();
    assert!(first.await.unwrap());
    assert!(!second.await.unwrap(), "the last admin stays");
    assert_eq!(users::count_admins(&mut setup).await.unwrap(), 1);
}
