//! A run's events: numbered in order per run, replayed from any point, and never given the same
//! number twice by concurrent writers.

use crate::catalog_support::{add_template, template};
use crate::runs::{create, setup};
use berth_db::runs::{self, RunError};
use berth_db::testing::TestDatabase;
use berth_domain::run::{LogStream, RunEvent, RunState, Stage};
use uuid::Uuid;

#[tokio::test]
async fn events_are_numbered_in_order_and_replayed_from_any_point() {
    let (_db, mut conn) = setup().await;
    let id = create(&mut conn, "web-1", None).await;
    let token = Uuid::new_v4();
    runs::claim(&mut conn, id, token, "w").await.unwrap();
    let events = [
        RunEvent::StageStarted {
            stage: Stage::ReserveVmid,
            attempt: 1,
        },
        RunEvent::Log {
            stage: Some(Stage::ReserveVmid),
            stream: LogStream::Info,
            line: "VMID 101 is free".into(),
        },
        RunEvent::StageFinished {
            stage: Stage::ReserveVmid,
            duration_ms: 12,
        },
    ];
    for (i, event) in events.iter().enumerate() {
        let written = runs::append_event(&mut conn, id, Some(token), event)
            .await
            .unwrap();
        assert_eq!(written.seq, i as i64 + 1);
    }
    // The server writes without a claim (e.g. a cancel request), in the same sequence.
    let note = RunEvent::State {
        state: RunState::Running,
        message: Some("cancel requested".into()),
    };
    assert_eq!(
        runs::append_event(&mut conn, id, None, &note)
            .await
            .unwrap()
            .seq,
        4
    );

    let all = runs::events_after(&mut conn, id, 0, 100).await.unwrap();
    assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3, 4]);
    assert_eq!(all[1].event, events[1]);
    let rest = runs::events_after(&mut conn, id, 2, 100).await.unwrap();
    assert_eq!(rest.iter().map(|e| e.seq).collect::<Vec<_>>(), [3, 4]);
    let missing = runs::append_event(&mut conn, Uuid::new_v4(), None, &note).await;
    assert!(matches!(missing, Err(RunError::NotFound)));
}

#[tokio::test]
async fn concurrent_writers_never_reuse_an_event_number() {
    let db = TestDatabase::create().await.unwrap();
    let pool = db.pool().unwrap();
    let mut conn = pool.get().await.unwrap();
    add_template(&mut conn, &template("web", &[])).await;
    let id = create(&mut conn, "web-1", None).await;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let pool = pool.clone();
            tokio::spawn(async move {
                let mut conn = pool.get().await.unwrap();
                for j in 0..10 {
                    let line = format!("writer {i} line {j}");
                    let event = RunEvent::Log {
                        stage: None,
                        stream: LogStream::Stdout,
                        line,
                    };
                    runs::append_event(&mut conn, id, None, &event)
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let all = runs::events_after(&mut conn, id, 0, 1000).await.unwrap();
    assert_eq!(
        all.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=80).collect::<Vec<_>>()
    );
}
