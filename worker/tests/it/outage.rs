//! Proxmox down: while a batch of runs is under way, the simulator's port stops answering
//! (connections refused, open ones dropped) for a while, then comes back. Meanwhile the
//! containers list stays readable from the cache and says since when Proxmox fails; the runs
//! wait and then finish, each with exactly one container.
//!
//! The outage lasts `BERTH_CHAOS_OUTAGE_SECS` (default 10; `cargo xtask chaos` makes it 60).

use crate::cable::Cable;
use crate::pipeline::Pipeline;
use berth_domain::run::{RunState, Stage};
use berth_status::read_snapshot;
use std::time::{Duration, Instant};

const RUNS: usize = 6;
/// How long the runs get to finish once Proxmox is back.
const SETTLE_FOR: Duration = Duration::from_secs(180);

fn outage() -> Duration {
    let secs = std::env::var("BERTH_CHAOS_OUTAGE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    Duration::from_secs(secs)
}

/// What the cached list looked like while Proxmox was away.
#[derive(Debug, Default)]
struct Seen {
    reads: usize,
    /// Reads that found rows (the list stayed readable).
    with_rows: usize,
    /// Reads that said Proxmox is failing, and since when.
    saying_failing: usize,
    /// How old the newest data was at the end of the outage.
    oldest: Duration,
}

#[tokio::test(flavor = "multi_thread")]
async fn runs_wait_out_a_proxmox_outage_and_the_list_says_how_old_it_is() {
    let p = Pipeline::start().await;
    let cable = Cable::to(p.sim.addr).await;
    let pve_url = format!("{}/api2/json", cable.url());
    let mut worker = p.spawn_worker_with("outage", &[("BERTH_PVE_URL", &pve_url)]);
    let redis = p.redis().await;
    let outage = outage();

    let mut ids = Vec::new();
    for i in 0..RUNS {
        ids.push(p.create_run(&format!("outage{i}")).await);
    }
    // Cut while runs are between stages, with the list already in the cache.
    assert!(
        p.until_started(ids[0], Stage::CreateContainer, Duration::from_secs(60))
            .await,
        "the first run did not get to creating its container\n{}",
        p.worker_log("outage")
    );
    let rows_before = wait_for_rows(&redis, p.key_prefix()).await;
    cable.cut();
    let cut_at = Instant::now();
    let mut seen = Seen::default();
    let mut failed_during = 0;
    while cut_at.elapsed() < outage {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let snapshot = read_snapshot(&redis, p.key_prefix(), "main")
            .await
            .unwrap()
            .expect("the snapshot stays in the cache");
        seen.reads += 1;
        seen.with_rows += usize::from(!snapshot.containers.is_empty());
        seen.saying_failing +=
            usize::from(snapshot.error.is_some() && snapshot.failing_since.is_some());
        let taken: chrono::DateTime<chrono::Utc> = snapshot.taken_at.parse().unwrap();
        seen.oldest = (chrono::Utc::now() - taken).to_std().unwrap_or_default();
        failed_during = states(&p, &ids)
            .await
            .iter()
            .filter(|s| **s == RunState::Failed)
            .count();
    }
    cable.mend().await;
    let mended_at = Instant::now();

    let deadline = Instant::now() + SETTLE_FOR;
    let mut final_states = states(&p, &ids).await;
    while !final_states.iter().all(|s| s.is_final()) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(250)).await;
        final_states = states(&p, &ids).await;
    }
    let finished_after = mended_at.elapsed();
    // The list is live again: Proxmox answers and the failure is gone (the poller backs off
    // to 15 s between polls while Proxmox fails).
    let mut recovered = false;
    for _ in 0..100 {
        let snapshot = read_snapshot(&redis, p.key_prefix(), "main")
            .await
            .unwrap()
            .unwrap();
        if snapshot.error.is_none() {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let succeeded = final_states
        .iter()
        .filter(|s| **s == RunState::Succeeded)
        .count();
    let mut containers = Vec::new();
    for id in &ids {
        containers.push(p.containers_of(*id).await.len());
    }
    let _ = worker.kill();
    let _ = worker.wait();

    println!(
        "proxmox outage: {outage:?}, then every run final {finished_after:.1?} after it ended\n\
         | during the outage                         | value |\n\
         |-------------------------------------------|-------|\n\
         | reads of the cached list                  | {:>5} |\n\
         | reads with rows ({rows_before:>2} before the outage)  | {:>5} |\n\
         | reads saying Proxmox fails, since when    | {:>5} |\n\
         | age of the cached list at the end (s)     | {:>5} |\n\
         | runs failed during the outage             | {failed_during:>5} |\n\
         | after                                     | value |\n\
         |-------------------------------------------|-------|\n\
         | runs                                      | {RUNS:>5} |\n\
         | runs succeeded                            | {succeeded:>5} |\n\
         | runs lost                                 | {:>5} |\n\
         | runs with other than one container        | {:>5} |\n\
         | list live again                           | {:>5} |",
        seen.reads,
        seen.with_rows,
        seen.saying_failing,
        seen.oldest.as_secs(),
        RUNS - succeeded,
        containers.iter().filter(|n| **n != 1).count(),
        if recovered { "yes" } else { "no" },
    );
    let log = p.worker_log("outage");
    let tail: Vec<&str> = log.lines().rev().take(40).collect();
    assert_eq!(succeeded, RUNS, "{final_states:?}\n{}", tail.join("\n"));
    assert!(containers.iter().all(|n| *n == 1), "{containers:?}");
    assert_eq!(
        seen.with_rows, seen.reads,
        "the list stayed readable: {seen:?}"
    );
    // The poller notices within a few of its intervals; every read after that says so.
    assert!(seen.saying_failing * 2 >= seen.reads, "{seen:?}");
    assert!(recovered, "the list is live again after the outage");
}

async fn states(p: &Pipeline, ids: &[uuid::Uuid]) -> Vec<RunState> {
    let mut states = Vec::new();
    for id in ids {
        states.push(p.run(*id).await.state());
    }
    states
}

/// Waits until the poller has put the simulator's containers in the cache; returns how many.
async fn wait_for_rows(redis: &fred::prelude::Client, prefix: &str) -> usize {
    for _ in 0..120 {
        if let Ok(Some(snapshot)) = read_snapshot(redis, prefix, "main").await
            && !snapshot.containers.is_empty()
            && snapshot.error.is_none()
        {
            return snapshot.containers.len();
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("the status poller never filled the cache");
}
