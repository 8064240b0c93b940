//! Reading the audit trail: filters, time ranges and newest-first order.

use crate::users::new_user;
use berth_db::audit::{self, AuditFilter, NewAuditEntry, Outcome};
use berth_db::testing::TestDatabase;
use berth_db::{Connection, Page, users};
use berth_domain::Role;

/// alice: login, container.create 101 (denied), container.start 101; bob_smith: login,
/// container.create 102; anonymous: login_failed. Returns the ids in insertion order.
async fn seed(conn: &mut Connection) -> (uuid::Uuid, Vec<i64>) {
    let alice = users::insert(conn, &new_user("alice", Role::Operator))
        .await
        .unwrap();
    let bob = users::insert(conn, &new_user("bob", Role::Operator))
        .await
        .unwrap();
    let entries = [
        NewAuditEntry::new("Alice", "login", Outcome::Success).actor(alice.id),
        NewAuditEntry::new("Alice", "container.create", Outcome::Denied)
            .actor(alice.id)
            .target("container", "101"),
        NewAuditEntry::new("Alice", "container.start", Outcome::Success)
            .actor(alice.id)
            .target("container", "101")
            .correlation_id("run-1"),
        NewAuditEntry::new("Bob_Smith", "login", Outcome::Success).actor(bob.id),
        NewAuditEntry::new("Bob_Smith", "container.create", Outcome::Success)
            .actor(bob.id)
            .target("container", "102")
            .correlation_id("run-2"),
        NewAuditEntry::new("anonymous", "login_failed", Outcome::Failure),
    ];
    let mut ids = Vec::new();
    for entry in &entries {
        ids.push(audit::insert(conn, entry).await.unwrap().id);
    }
    (alice.id, ids)
}

async fn ids(conn: &mut Connection, filter: AuditFilter) -> Vec<i64> {
    let page = audit::list(conn, &filter, Page::default()).await.unwrap();
    assert_eq!(page.total, page.entries.len() as i64);
    page.entries.iter().map(|e| e.id).collect()
}

#[tokio::test]
async fn filters_select_the_matching_entries_newest_first() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let (alice, e) = seed(&mut conn).await;
    let f = AuditFilter::default;

    assert_eq!(
        ids(&mut conn, f()).await,
        [e[5], e[4], e[3], e[2], e[1], e[0]]
    );
    assert_eq!(
        ids(
            &mut conn,
            AuditFilter {
                actor_user_id: Some(alice),
                ..f()
            }
        )
        .await,
        [e[2], e[1], e[0]]
    );
    assert_eq!(
        ids(
            &mut conn,
            AuditFilter {
                actor_name: Some("SMITH".into()),
                ..f()
            }
        )
        .await,
        [e[4], e[3]]
    );
    // LIKE wildcards in the filter are literal: `_` matches only an underscore.
    assert_eq!(
        ids(
            &mut conn,
            AuditFilter {
                actor_name: Some("b_s".into()),
                ..f()
            }
        )
        .await,
        [e[4], e[3]]
    );
    assert!(
        ids(
            &mut conn,
            AuditFilter {
                actor_name: Some("%".into()),
                ..f()
            }
        )
        .await
        .is_empty()
    );
    assert_eq!(
        ids(
            &mut conn,
            AuditFilter {
                action: Some("login".into()),
                ..f()
            }
        )
        .await,
        [e[3], e[0]]
    );
    assert_eq!(
        ids(
            &mut conn,
            AuditFilter {
                action: Some("container.*".into()),
                ..f()
            }
        )
        .await,
        [e[4], e[2], e[1]]
    );
    assert_eq!(
        ids(
            &mut conn,
            AuditFilter {
                target_type: Some("container".into()),
                target_id: Some("101".into()),
                ..f()
            }
        )
        .await,
        [e[2], e[1]]
    );
    assert_eq!(
        ids(
            &mut conn,
            AuditFilter {
                outcome: Some(Outcome::Denied),
                ..f()
            }
        )
        .await,
        [e[1]]
    );
    assert_eq!(
        ids(
            &mut conn,
            AuditFilter {
                correlation_id: Some("run-2".into()),
                ..f()
            }
        )
        .await,
        [e[4]]
    );
    let combined = AuditFilter {
        actor_user_id: Some(alice),
        action: Some("container.*".into()),
        outcome: Some(Outcome::Success),
        ..f()
    };
    assert_eq!(ids(&mut conn, combined).await, [e[2]]);
}

#[tokio::test]
async fn time_ranges_are_half_open() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let first = audit::insert(
        &mut conn,
        &NewAuditEntry::new("a", "login", Outcome::Success),
    )
    .await
    .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let second = audit::insert(
        &mut conn,
        &NewAuditEntry::new("a", "logout", Outcome::Success),
    )
    .await
    .unwrap();
    assert!(second.at > first.at);
    let f = AuditFilter::default;
    assert_eq!(
        ids(
            &mut conn,
            AuditFilter {
                from: Some(second.at),
                ..f()
            }
        )
        .await,
        [second.id]
    );
    assert_eq!(
        ids(
            &mut conn,
            AuditFilter {
                to: Some(second.at),
                ..f()
            }
        )
        .await,
        [first.id]
    );
    assert_eq!(
        ids(
            &mut conn,
            AuditFilter {
                from: Some(first.at),
                to: Some(second.at),
                ..f()
            }
        )
        .await,
        [first.id]
    );
    assert!(
        ids(
            &mut conn,
            AuditFilter {
                from: Some(second.at),
                to: Some(second.at),
                ..f()
            }
        )
        .await
        .is_empty()
    );
}
