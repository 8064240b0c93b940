//! The real `berth-worker` binary's memory once start-up has settled: registered, heartbeating,
//! its status poller reading the Proxmox simulator, no job. Read from `/proc/<pid>/status`
//! (VmRSS now, VmHWM the peak), beside the target.
//!
//! `cargo bench -p worker --bench memory` with `BERTH_TEST_DATABASE_URL` and
//! `BERTH_TEST_REDIS_URL` set (`cargo xtask bench` sets them).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

// The server's memory bench reads memory the same way.
#[path = "../../../server/benches/memory/rss.rs"]
mod rss;

use berth_db::testing::TestDatabase;
use berth_db::workers;
use berth_testkit as testkit;
use std::time::{Duration, Instant};

const TARGET_IDLE_MB: f64 = 20.0;

#[tokio::main]
async fn main() {
    let db = TestDatabase::create().await.expect("test database");
    let sim = berth_pve_sim::spawn(berth_pve_sim::SimOptions::with_default_seed())
        .await
        .expect("the simulator starts");
    let dir = tempfile::tempdir().unwrap();
    let worker = start(&db, &sim, dir.path());
    let started = Instant::now();
    registered(&db).await;
    let ready_in = started.elapsed();
    let (idle, settled_in) = rss::settled(worker.0.id(), Duration::from_secs(20)).await;

    println!(
        "berth-worker memory (the release binary, Proxmox simulator configured; registered \
         after {ready_in:.1?}, settled {settled_in:.1?} later)"
    );
    println!("  | state               |    VmRSS |    VmHWM | target            |");
    println!(
        "  | idle after start-up | {:>8} | {:>8} | ≤ {TARGET_IDLE_MB} MB: {:<6} |",
        rss::mb(idle.rss_kib),
        rss::mb(idle.hwm_kib),
        rss::verdict(idle.rss_kib, TARGET_IDLE_MB)
    );
}

/// `berth-worker` as a deployment runs it (without an SSH key: no run comes), with only its
/// own settings in the environment.
fn start(
    db: &TestDatabase,
    sim: &berth_pve_sim::RunningSim,
    dir: &std::path::Path,
) -> rss::Measured {
    let state = dir.join("state").display().to_string();
    let prefix = format!("berth-bench-{}:", uuid::Uuid::new_v4().simple());
    rss::Measured::spawn(
        env!("CARGO_BIN_EXE_berth-worker"),
        &[
            ("BERTH_DATABASE_URL", db.url()),
            ("BERTH_REDIS_URL", &testkit::redis_url()),
            ("BERTH_REDIS_KEY_PREFIX", &prefix),
            ("BERTH_LOG_FORMAT", "json"),
            ("BERTH_WORKER_NAME", "bench-worker"),
            ("BERTH_WORKER_STATE_DIR", &state),
        ],
        sim,
        &dir.join("berth-worker.log"),
    )
}

/// Waits (up to 30 s) for the worker's first heartbeat in Postgres.
async fn registered(db: &TestDatabase) {
    let pool = db.pool().unwrap();
    let mut conn = pool.get().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while workers::newest_heartbeat_age(&mut conn)
        .await
        .unwrap()
        .is_none()
    {
        assert!(Instant::now() < deadline, "no heartbeat from berth-worker");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
