//! Integration tests of berth-worker: the real binary against real PostgreSQL and Redis.

// A test binary: panicking on a broken precondition is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cable;
mod chaos;
mod crash;
mod metrics;
mod outage;
mod pipeline;

use berth_db::testing::TestDatabase;
use berth_db::workers;
use berth_testkit as testkit;
use std::process::Stdio;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_berth-worker");

fn worker(envs: &[(&str, &str)]) -> std::process::Command {
    testkit::command(BIN, envs)
}

#[tokio::test(flavor = "multi_thread")]
async fn heartbeats_then_signs_off_on_sigterm() {
    let db = TestDatabase::create().await.unwrap();
    let redis = testkit::redis_url();
    let mut child = worker(&[
        ("BERTH_DATABASE_URL", db.url()),
        ("BERTH_REDIS_URL", &redis),
        ("BERTH_WORKER_HEARTBEAT_SECS", "0.2"),
        ("BERTH_WORKER_NAME", "it-worker"),
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();

    let pool = db.pool().unwrap();
    let mut conn = pool.get().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if workers::newest_heartbeat_age(&mut conn)
            .await
            .unwrap()
            .is_some()
        {
            break;
        }
        assert!(Instant::now() < deadline, "no heartbeat from the worker");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The heartbeat keeps moving.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let age = workers::newest_heartbeat_age(&mut conn)
        .await
        .unwrap()
        .unwrap();
    assert!(age < 0.6, "heartbeat refreshed, age {age}");

    testkit::terminate(&child);
    let status = testkit::wait_with_deadline(&mut child, Duration::from_secs(10));
    assert!(status.success(), "graceful exit, got {status}");
    assert_eq!(
        workers::newest_heartbeat_age(&mut conn).await.unwrap(),
        None,
        "the worker signed off"
    );
}

#[test]
fn a_malformed_setting_stops_start_up_with_one_line_naming_it() {
    let output = worker(&[
        ("BERTH_DATABASE_URL", "postgres://berth@127.0.0.1/berth"),
        ("BERTH_REDIS_URL", "redis://127.0.0.1"),
        ("BERTH_WORKER_HEARTBEAT_SECS", "-3"),
    ])
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(78));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr.trim_end(),
        "berth-worker: invalid configuration: BERTH_WORKER_HEARTBEAT_SECS: expected a positive \
         number of seconds such as 5 or 0.5, got \"-3\""
    );
}

#[test]
fn starts_without_postgres_and_still_stops_gracefully() {
    let mut child = worker(&[
        (
            "BERTH_DATABASE_URL",
            "postgres://postgres@127.0.0.1:1/berth",
        ),
        ("BERTH_REDIS_URL", "redis://127.0.0.1:1"),
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    assert!(
        child.try_wait().unwrap().is_none(),
        "keeps retrying instead of exiting"
    );
    testkit::terminate(&child);
    let status = testkit::wait_with_deadline(&mut child, Duration::from_secs(10));
    assert!(status.success(), "graceful exit, got {status}");
    let stderr = testkit::stderr_of(&mut child);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("cannot record heartbeat"), "{stderr}");
}
