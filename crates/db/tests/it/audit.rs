//! Audit entries: the round trip of every field, the constraints, and the append-only trigger.

use crate::users::new_user;
use berth_db::audit::{self, AuditFilter, NewAuditEntry, Outcome};
use berth_db::testing::TestDatabase;
use berth_db::{Connection, DbError, Page, users};
use berth_domain::Role;
use diesel_async::RunQueryDsl;
use serde_json::json;
use std::net::IpAddr;
use uuid::Uuid;

/// Runs raw SQL and returns the full database error text (message, detail, hint).
async fn sql_error(conn: &mut Connection, sql: &str) -> String {
    match diesel::sql_query(sql).execute(conn).await.unwrap_err() {
        diesel::result::Error::DatabaseError(_, info) => {
            format!(
                "{} / {:?} / {:?}",
                info.message(),
                info.details(),
                info.hint()
            )
        }
        other => panic!("not a database error: {other}"),
    }
}

#[tokio::test]
async fn entries_round_trip() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let admin = users::insert(&mut conn, &new_user("root", Role::Admin))
        .await
        .unwrap();
    let ip: IpAddr = "2001:db8::7".parse().unwrap();
    let entry = NewAuditEntry::new("Root Admin", "container.create", Outcome::Success)
        .actor(admin.id)
        .target("container", "101")
        .source_ip(ip)
        .correlation_id("run-42")
        .details(json!({"template": "debian-12", "cores": 2}));
    let written = audit::insert(&mut conn, &entry).await.unwrap();
    assert!(written.id > 0);
    assert_eq!(written.actor_user_id, Some(admin.id));
    assert_eq!(written.source_ip, Some(ip));
    assert_eq!(written.details["cores"], 2);
    assert_eq!(written.at.timezone(), chrono::Utc);
    assert!((chrono::Utc::now() - written.at).num_seconds().abs() < 60);
    assert_eq!(
        audit::find(&mut conn, written.id).await.unwrap(),
        Some(written.clone())
    );
    let v4 = audit::insert(
        &mut conn,
        &NewAuditEntry::new("anonymous", "login_failed", Outcome::Failure)
            .source_ip("192.0.2.9".parse().unwrap()),
    )
    .await
    .unwrap();
    assert_eq!(v4.source_ip, Some("192.0.2.9".parse().unwrap()));
    assert_eq!(v4.details, json!({}));
    assert_eq!(v4.actor_user_id, None);
}

#[tokio::test]
async fn malformed_entries_are_refused() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let bad = [
        NewAuditEntry::new("x", "Container.Create", Outcome::Success),
        NewAuditEntry::new("x", "container create", Outcome::Success),
        NewAuditEntry::new("", "login", Outcome::Success),
        NewAuditEntry::new("x", "login", Outcome::Success).details(json!(["not", "an", "object"])),
    ];
    for entry in bad {
        let err = audit::insert(&mut conn, &entry).await.unwrap_err();
        assert!(matches!(err, DbError::Invalid { .. }), "{entry:?}: {err:?}");
    }
    let ghost = NewAuditEntry::new("x", "login", Outcome::Success).actor(Uuid::new_v4());
    let err = audit::insert(&mut conn, &ghost).await.unwrap_err();
    assert!(matches!(err, DbError::Reference { .. }), "{err:?}");
    let err = sql_error(
        &mut conn,
        "INSERT INTO audit_log (actor_name, action, outcome) VALUES ('x', 'login', 'maybe')",
    )
    .await;
    assert!(err.contains("audit_log_outcome_known"), "{err}");
}

#[tokio::test]
async fn the_trail_is_append_only() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let admin = users::insert(&mut conn, &new_user("root", Role::Admin))
        .await
        .unwrap();
    let written = audit::insert(
        &mut conn,
        &NewAuditEntry::new("Root", "user.create", Outcome::Success).actor(admin.id),
    )
    .await
    .unwrap();

    for (op, sql) in [
        ("UPDATE", "UPDATE audit_log SET outcome = 'failure'"),
        (
            "UPDATE",
            "UPDATE audit_log SET actor_name = 'someone else' WHERE id = 1",
        ),
        ("DELETE", "DELETE FROM audit_log"),
        ("DELETE", "DELETE FROM audit_log WHERE id = 1"),
        ("TRUNCATE", "TRUNCATE audit_log"),
    ] {
        let err = sql_error(&mut conn, sql).await;
        assert!(err.starts_with("audit_log is append-only"), "{sql}: {err}");
        assert!(
            err.contains(&format!("{op} on audit_log is not allowed")),
            "{sql}: {err}"
        );
    }
    // Deleting the actor would rewrite history through the foreign key: refused as well.
    let err = sql_error(
        &mut conn,
        &format!("DELETE FROM users WHERE id = '{}'", admin.id),
    )
    .await;
    assert!(err.contains("audit_log"), "{err}");

    let unchanged = audit::find(&mut conn, written.id).await.unwrap().unwrap();
    assert_eq!(unchanged, written);
    assert_eq!(
        audit::count(&mut conn, &AuditFilter::default())
            .await
            .unwrap(),
        1
    );
    assert!(
        users::find_by_id(&mut conn, admin.id)
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_user_without_history_can_still_be_deleted() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let user = users::insert(&mut conn, &new_user("temp", Role::Viewer))
        .await
        .unwrap();
    users::link_identity(&mut conn, user.id, "https://id.example", "s")
        .await
        .unwrap();
    let deleted = diesel::sql_query(format!("DELETE FROM users WHERE id = '{}'", user.id))
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(deleted, 1, "identities and tokens cascade");
}

#[tokio::test]
async fn outcome_names_round_trip() {
    for outcome in Outcome::ALL {
        assert_eq!(Outcome::from_key(outcome.key()), Some(outcome));
        assert_eq!(serde_json::to_value(outcome).unwrap(), json!(outcome.key()));
    }
    assert_eq!(Outcome::from_key("Success"), None);
    // Page bounds are clamped.
    assert_eq!(Page::new(0, -3).limit(), 1);
    assert_eq!(Page::new(1_000_000, 0).limit(), Page::MAX_LIMIT);
    assert_eq!(Page::new(10, -3).offset(), 0);
}
