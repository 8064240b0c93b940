//! The embedded migrations: idempotent, reversible, and errors instead of panics.

use berth_db::migrations;
use berth_db::testing::TestDatabase;

#[tokio::test]
async fn migrations_are_idempotent_on_a_migrated_database() {
    let db = TestDatabase::create().await.unwrap();
    // The template already applied everything: a second run applies nothing.
    let applied = migrations::run_pending(db.url()).await.unwrap();
    assert!(applied.is_empty(), "{applied:?}");
    assert!(!migrations::embedded_names().is_empty());
}

#[tokio::test]
async fn migrating_an_unreachable_server_is_an_error_not_a_panic() {
    let err = migrations::run_pending("postgres://postgres@127.0.0.1:1/berth")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("cannot connect"), "{err}");
}

#[tokio::test]
async fn ping_reports_an_unreachable_server() {
    let pool = berth_db::build_pool(
        "postgres://postgres@127.0.0.1:1/berth",
        berth_db::PoolSettings::default(),
    )
    .unwrap();
    assert!(berth_db::ping(&pool).await.is_err());
}

#[tokio::test]
async fn every_migration_reverts_cleanly_and_reapplies() {
    use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
    use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
    use diesel_migrations::MigrationHarness;

    let db = TestDatabase::create().await.unwrap();
    let conn = AsyncPgConnection::establish(db.url()).await.unwrap();
    let (reverted, reapplied) = tokio::task::spawn_blocking(move || {
        let mut wrapper: AsyncConnectionWrapper<AsyncPgConnection> = conn.into();
        let reverted = wrapper
            .revert_all_migrations(migrations::MIGRATIONS)
            .unwrap()
            .len();
        let reapplied = wrapper
            .run_pending_migrations(migrations::MIGRATIONS)
            .unwrap()
            .len();
        (reverted, reapplied)
    })
    .await
    .unwrap();
    let all = migrations::embedded_names().len();
    assert_eq!((reverted, reapplied), (all, all));

    // After the round trip the schema works: the append-only trigger is back, for one.
    let mut conn = AsyncPgConnection::establish(db.url()).await.unwrap();
    diesel::sql_query(
        "INSERT INTO audit_log (actor_name, action, outcome) VALUES ('x', 'login', 'success')",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let err = diesel::sql_query("DELETE FROM audit_log")
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}
