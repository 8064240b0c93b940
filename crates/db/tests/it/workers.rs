use berth_db::testing::TestDatabase;
use berth_db::workers::{self, NewWorker};
use uuid::Uuid;

fn worker(id: Uuid) -> NewWorker<'static> {
    NewWorker {
        id,
        name: "worker-a",
        hostname: "host-a",
        pid: 4242,
        version: "0.1.0",
    }
}

#[tokio::test]
async fn heartbeat_age_follows_running_workers() {
    let db = TestDatabase::create().await.unwrap();
    let pool = db.pool().unwrap();
    let mut conn = pool.get().await.unwrap();

    assert_eq!(
        workers::newest_heartbeat_age(&mut conn).await.unwrap(),
        None
    );

    let id = Uuid::new_v4();
    workers::upsert(&mut conn, &worker(id)).await.unwrap();
    let age = workers::newest_heartbeat_age(&mut conn)
        .await
        .unwrap()
        .unwrap();
    assert!((0.0..5.0).contains(&age), "fresh heartbeat, got {age}");

    assert!(workers::heartbeat(&mut conn, id).await.unwrap());
    workers::mark_stopped(&mut conn, id).await.unwrap();
    assert_eq!(
        workers::newest_heartbeat_age(&mut conn).await.unwrap(),
        None,
        "a stopped worker does not count"
    );
    let row = workers::find(&mut conn, id).await.unwrap().unwrap();
    assert!(row.stopped_at.is_some());
    assert_eq!(row.pid, 4242);

    // Re-registering clears the stop.
    workers::upsert(&mut conn, &worker(id)).await.unwrap();
    assert!(
        workers::find(&mut conn, id)
            .await
            .unwrap()
            .unwrap()
            .stopped_at
            .is_none()
    );
}

#[tokio::test]
async fn heartbeat_of_an_unknown_worker_says_so() {
    let db = TestDatabase::create().await.unwrap();
    let pool = db.pool().unwrap();
    let mut conn = pool.get().await.unwrap();
    assert!(!workers::heartbeat(&mut conn, Uuid::new_v4()).await.unwrap());
}

#[tokio::test]
async fn test_databases_are_isolated() {
    let a = TestDatabase::create().await.unwrap();
    let b = TestDatabase::create().await.unwrap();
    assert_ne!(a.name(), b.name());
    let mut conn_a = a.pool().unwrap().get().await.unwrap();
    workers::upsert(&mut conn_a, &worker(Uuid::new_v4()))
        .await
        .unwrap();
    let mut conn_b = b.pool().unwrap().get().await.unwrap();
    assert_eq!(
        workers::newest_heartbeat_age(&mut conn_b).await.unwrap(),
        None
    );
}
