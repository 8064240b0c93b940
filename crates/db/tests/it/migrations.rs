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
