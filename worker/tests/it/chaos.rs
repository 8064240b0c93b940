//! Chaos, bounded in time: a batch of runs while `berth-worker` processes are SIGKILLed at
//! random, Redis (queue, leases, pub/sub) is killed and restarted empty, and Postgres crashes
//! once (immediate shutdown). Postgres and Redis are private to this test, so it may do that.
//! Afterwards nothing may be lost: every run succeeded, each made exactly one container, and
//! every container the runs left in the simulator belongs to exactly one run.
//!
//! `BERTH_CHAOS_SEED` replays a sequence of faults; the seed is printed with the summary.

use crate::pipeline::Pipeline;
use berth_db::runs;
use berth_db::testing::TestDatabase;
use berth_domain::run::RunState;
use berth_pve::types::ResourceType;
use berth_testkit::services::{PrivatePostgres, PrivateRedis};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Child;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// `BERTH_CHAOS_RUNS`, default 24 (`cargo xtask chaos` makes it 60, to keep runs under way for
/// its longer chaos).
fn run_count() -> usize {
    std::env::var("BERTH_CHAOS_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(24)
}
const WORKERS: usize = 3;
/// Faults are injected for this long at most (less when every run finished sooner):
/// `BERTH_CHAOS_SECS`, default 40 (`cargo xtask chaos` makes it 120).
fn chaos_for() -> Duration {
    let secs = std::env::var("BERTH_CHAOS_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    Duration::from_secs(secs)
}
/// Then the workers get up to this long, undisturbed, to finish what is left (the wait ends as
/// soon as every run has): 120 s for the suite's 24 runs, 8 s more for every further run. All
/// runs create on one node, two at a time, and the faults leave many of them in retry back-off,
/// so the tail of a long form drains slowly: at 3 s a run, 3 of 60 were still creating, not
/// lost, when the wait ended.
fn settle_for(runs: usize) -> Duration {
    Duration::from_secs(120 + 8 * runs.saturating_sub(24) as u64)
}

/// A small xorshift generator: the faults follow from the seed alone.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[derive(Debug, Default)]
struct Injected {
    worker_kills: usize,
    worker_exits: usize,
    redis_restarts: usize,
    postgres_restarts: usize,
}

struct Crew<'a> {
    pipeline: &'a Pipeline,
    workers: Vec<(String, Child)>,
    spawned: usize,
}

impl Crew<'_> {
    fn hire(&mut self) {
        let name = format!("chaos-{}", self.spawned);
        self.spawned += 1;
        let child = self.pipeline.spawn_worker(&name);
        self.workers.push((name, child));
    }

    /// Replaces workers that exited by themselves (e.g. Postgres was down when they started).
    fn replace_exited(&mut self) -> usize {
        let before = self.workers.len();
        self.workers
            .retain_mut(|(_, child)| child.try_wait().ok().flatten().is_none());
        let exited = before - self.workers.len();
        for _ in 0..exited {
            self.hire();
        }
        exited
    }

    fn kill(&mut self, index: usize) {
        let (_, mut child) = self.workers.remove(index % self.workers.len());
        let _ = child.kill();
        let _ = child.wait();
        self.hire();
    }

    fn dismiss(&mut self) {
        for (_, child) in &mut self.workers {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The runs' states, or `None` while Postgres cannot answer.
async fn states(p: &Pipeline, ids: &[Uuid]) -> Option<Vec<RunState>> {
    let mut conn = p.pool.get().await.ok()?;
    let mut states = Vec::new();
    for &id in ids {
        states.push(runs::get(&mut conn, id).await.ok()?.state());
    }
    Some(states)
}

async fn all_final(p: &Pipeline, ids: &[Uuid]) -> bool {
    states(p, ids)
        .await
        .is_some_and(|s| s.iter().all(|state| state.is_final()))
}

#[tokio::test(flavor = "multi_thread")]
async fn runs_survive_killed_workers_and_restarted_redis_and_postgres() {
    let mut postgres = PrivatePostgres::start();
    let mut redis = PrivateRedis::start();
    let db = TestDatabase::create_on(postgres.admin_url()).await.unwrap();
    let p = Pipeline::start_on(db, redis.url()).await;
    let before: BTreeSet<u32> = vmids_with_tags(&p).await.into_keys().collect();

    let runs_wanted = run_count();
    let mut ids = Vec::new();
    for i in 0..runs_wanted {
        ids.push(p.create_run(&format!("chaos{i}")).await);
    }
    let seed = std::env::var("BERTH_CHAOS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| u64::from(std::process::id()) | 1);
    let mut dice = Dice(seed);
    let mut crew = Crew {
        pipeline: &p,
        workers: Vec::new(),
        spawned: 0,
    };
    for _ in 0..WORKERS {
        crew.hire();
    }

    let mut injected = Injected::default();
    let mut step = 0;
    let started = Instant::now();
    let chaos_for = chaos_for();
    while started.elapsed() < chaos_for && !all_final(&p, &ids).await {
        tokio::time::sleep(Duration::from_millis(400 + dice.below(1600))).await;
        injected.worker_exits += crew.replace_exited();
        // The first faults are fixed, so that every kind happens while runs are under way.
        let roll = match step {
            0 => 6,
            1 => 0,
            2 => 8,
            _ => dice.below(10),
        };
        step += 1;
        match roll {
            0..=5 => {
                crew.kill(dice.below(WORKERS as u64) as usize);
                injected.worker_kills += 1;
            }
            6 | 7 if injected.redis_restarts < 3 => {
                redis.restart(Duration::from_millis(300));
                injected.redis_restarts += 1;
            }
            8 if injected.postgres_restarts < 1 => {
                postgres.restart(Duration::from_millis(500));
                injected.postgres_restarts += 1;
            }
            _ => {}
        }
    }
    let chaos = started.elapsed();
    let deadline = Instant::now() + settle_for(runs_wanted);
    while !all_final(&p, &ids).await && Instant::now() < deadline {
        injected.worker_exits += crew.replace_exited();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let settled = started.elapsed();
    let logs: Vec<String> = crew.workers.iter().map(|(n, _)| n.clone()).collect();
    crew.dismiss();

    let states = states(&p, &ids)
        .await
        .expect("Postgres answers after the chaos");
    let succeeded = states.iter().filter(|s| **s == RunState::Succeeded).count();
    let mut per_run: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut foreign = Vec::new();
    for (vmid, tags) in vmids_with_tags(&p).await {
        if before.contains(&vmid) {
            continue;
        }
        match tags.split(';').find_map(|t| t.strip_prefix("berth-run-")) {
            Some(run) => per_run.entry(run.to_string()).or_default().push(vmid),
            None => foreign.push(vmid),
        }
    }
    let known: BTreeSet<String> = ids.iter().map(Uuid::to_string).collect();
    let duplicated = per_run.values().filter(|v| v.len() > 1).count();
    let orphaned = foreign.len() + per_run.keys().filter(|r| !known.contains(*r)).count();
    let missing = ids
        .iter()
        .filter(|id| !per_run.contains_key(&id.to_string()))
        .count();

    println!(
        "chaos (seed {seed}): {chaos:.1?} of faults, all settled after {settled:.1?}\n\
         | injected                       | count |\n\
         |--------------------------------|-------|\n\
         | workers SIGKILLed              | {:>5} |\n\
         | workers exited by themselves   | {:>5} |\n\
         | Redis killed, restarted empty  | {:>5} |\n\
         | Postgres crashed and restarted | {:>5} |\n\
         | outcome                        | count |\n\
         |--------------------------------|-------|\n\
         | runs                           | {runs_wanted:>5} |\n\
         | runs succeeded                 | {succeeded:>5} |\n\
         | runs lost (not succeeded)      | {:>5} |\n\
         | runs without a container       | {missing:>5} |\n\
         | runs with duplicate containers | {duplicated:>5} |\n\
         | orphaned containers            | {orphaned:>5} |",
        injected.worker_kills,
        injected.worker_exits,
        injected.redis_restarts,
        injected.postgres_restarts,
        runs_wanted - succeeded,
    );
    let tail = logs
        .iter()
        .map(|name| {
            let log = p.worker_log(name);
            let lines: Vec<&str> = log.lines().collect();
            let last = &lines[lines.len().saturating_sub(30)..];
            format!("--- {name}\n{}", last.join("\n"))
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut lost = Vec::new();
    for (id, state) in ids.iter().zip(&states) {
        if *state != RunState::Succeeded {
            let record = p.run(*id).await;
            lost.push(format!("{id} {state:?}: {:?}", record.summary.error));
        }
    }
    assert_eq!(
        succeeded, runs_wanted,
        "lost runs {lost:#?} (seed {seed})\n{tail}"
    );
    assert_eq!(
        (missing, duplicated, orphaned),
        (0, 0, 0),
        "containers per run {per_run:?}, foreign {foreign:?} (seed {seed})"
    );
    assert!(
        injected.worker_kills > 0 && injected.redis_restarts > 0 && injected.postgres_restarts > 0,
        "every kind of fault must have happened while runs were under way: {injected:?}"
    );
}

/// Every container in the simulator with its tags.
async fn vmids_with_tags(p: &Pipeline) -> BTreeMap<u32, String> {
    p.pve()
        .cluster_resources(Some(ResourceType::Vm))
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.kind == "lxc")
        .filter_map(|r| Some((r.vmid?, r.tags.unwrap_or_default())))
        .collect()
}
