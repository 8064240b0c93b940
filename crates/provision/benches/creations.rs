//! 100 creations with concurrency 16 against the simulator, its tasks slowed to about 2 s
//! (`vzcreate`), through the real runner and pipeline (the Proxmox stages), on real Postgres
//! and Redis — compared with the ideal: one run's time alone × ⌈100 / 16⌉.
//! Run with `cargo bench -p berth-provision --bench creations` (`--profile dev` measures the same:
//! the time goes to simulated tasks, not to Berth's code).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use berth_db::audit::{NewAuditEntry, Outcome};
use berth_db::catalog::{Author, templates};
use berth_db::runs::{self, NewRun};
use berth_db::testing::TestDatabase;
use berth_domain::container::ContainerSpec;
use berth_domain::run::RunState;
use berth_domain::template::TemplateSpec;
use berth_jobs::{CancellationToken, Queue, Runner, RunnerConfig};
use berth_provision::{PROXMOX_STAGES, Provisioner, RunEvents, Services, Settings};
use berth_pve::{Credentials, PveClient, TlsMode};
use berth_pve_sim::SimOptions;
use fred::prelude::{Builder, ClientLike, Config};
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

const RUNS: usize = 100;
const CONCURRENCY: usize = 16;
/// The simulated `vzcreate` takes 5 s at scale 1.0: 0.4 makes it 2 s.
const TIME_SCALE: f64 = 0.4;

#[tokio::main]
async fn main() {
    let db = TestDatabase::create().await.unwrap();
    let pool = db.pool().unwrap();
    let sim = berth_pve_sim::spawn(SimOptions {
        time_scale: TIME_SCALE,
        ..SimOptions::with_default_seed()
    })
    .await
    .unwrap();
    let template = TemplateSpec {
        name: "bench".into(),
        title: "Bench".into(),
        ..TemplateSpec::blank()
    };
    let entry = NewAuditEntry::new("bench", "template.create", Outcome::Success);
    let author = Author {
        user_id: None,
        name: "bench",
    };
    let mut conn = pool.get().await.unwrap();
    templates::save(
        &mut conn,
        &template,
        templates::Existing::Refuse,
        false,
        author,
        "new",
        &entry,
    )
    .await
    .unwrap();
    let url = std::env::var("BERTH_TEST_REDIS_URL")
        .unwrap_or_else(|_| "redis://127.0.0.1:6379/".to_owned());
    let redis = Builder::from_config(Config::from_url(&url).unwrap())
        .build()
        .unwrap();
    redis.init().await.unwrap();
    let seeded = sim.token("berth@pve!provisioner").unwrap();
    let pve = PveClient::builder(sim.base_url.clone())
        .tls(TlsMode::fingerprint(sim.fingerprint.as_deref().unwrap()).unwrap())
        .credentials(Credentials::token(&seeded.full_id, seeded.secret.as_str()))
        .task_poll_interval(Duration::from_millis(100))
        .build()
        .unwrap();

    let create = |n: usize| {
        let pool = pool.clone();
        let template = template.clone();
        async move {
            let mut spec = ContainerSpec::from_template(&template, 1);
            spec.identity.hostname = format!("bench{n}");
            spec.storage.rootfs.storage = "local-lvm".into();
            spec.storage.rootfs.size_gib = 1;
            let run = NewRun {
                template_name: "bench",
                template_version: 1,
                hostname: &spec.identity.hostname,
                spec: serde_json::to_value(&spec).unwrap(),
                secrets: serde_json::json!({}),
                vmid: None,
                requested_by: None,
                requested_by_name: "bench",
            };
            let entry = NewAuditEntry::new("bench", "run.create", Outcome::Success);
            runs::create(&mut pool.get().await.unwrap(), &run, entry)
                .await
                .unwrap()
        }
    };

    // One run alone: the time a run takes when nothing competes.
    let alone = {
        let queue = Queue::with_prefix(redis.clone(), &format!("berth-bench:{}:", Uuid::new_v4()));
        let ids = vec![create(0).await];
        drive(&queue, &pool, &pve, &ids, 1).await
    };
    let queue = Queue::with_prefix(redis.clone(), &format!("berth-bench:{}:", Uuid::new_v4()));
    let mut ids = Vec::new();
    for n in 1..=RUNS {
        ids.push(create(n).await);
    }
    let all = drive(&queue, &pool, &pve, &ids, CONCURRENCY).await;
    let mut conn = pool.get().await.unwrap();
    let mut succeeded = 0;
    for id in &ids {
        if runs::get(&mut conn, *id).await.unwrap().state() == RunState::Failed
            && runs::get(&mut conn, *id).await.unwrap().summary.stage
                == Some(berth_domain::run::Stage::Connect)
        {
            // Stopped before `connect`: the Proxmox stages all passed.
            succeeded += 1;
        }
    }
    let waves = RUNS.div_ceil(CONCURRENCY) as f64;
    let ideal = alone.as_secs_f64() * waves;
    println!("| measurement | result |");
    println!("|---|---|");
    println!(
        "| one run alone (reserve, create ≈2 s, start, address) | {:.2} s |",
        alone.as_secs_f64()
    );
    println!(
        "| {RUNS} runs, concurrency {CONCURRENCY}, 2 nodes × {CONCURRENCY_PER_NODE} creation slots | {:.2} s ({succeeded}/{RUNS} through the Proxmox stages) |",
        all.as_secs_f64()
    );
    println!(
        "| ideal (one run's time × ⌈{RUNS}/{CONCURRENCY}⌉) | {ideal:.2} s → efficiency {:.0} % |",
        100.0 * ideal / all.as_secs_f64()
    );
}

const CONCURRENCY_PER_NODE: u32 = 8;

/// Enqueues `ids` and runs a runner with `concurrency` until every run has ended.
async fn drive(
    queue: &Queue,
    pool: &berth_db::Pool,
    pve: &PveClient,
    ids: &[Uuid],
    concurrency: usize,
) -> Duration {
    let mut settings = Settings::new("bench");
    settings.creations_per_node = CONCURRENCY_PER_NODE;
    settings.address_poll = Duration::from_millis(200);
    let services = Services {
        pve: pve.clone(),
        pool: pool.clone(),
        slots: queue.node_slots(),
        events: Arc::new(RunEvents::new(pool.clone(), queue.events())),
        settings: Arc::new(settings),
    };
    let provisioner = Provisioner::new(services, &PROXMOX_STAGES);
    let config = RunnerConfig {
        concurrency,
        ..RunnerConfig::new("bench")
    };
    let started = Instant::now();
    queue.ensure_enqueued(ids).await.unwrap();
    let stop = CancellationToken::new();
    let runner = tokio::spawn(Runner::new(queue.clone(), provisioner, config).run(stop.clone()));
    let mut conn = pool.get().await.unwrap();
    loop {
        let mut open = 0;
        for id in ids {
            if !runs::get(&mut conn, *id).await.unwrap().state().is_final() {
                open += 1;
            }
        }
        if open == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let elapsed = started.elapsed();
    stop.cancel();
    runner.await.unwrap().unwrap();
    elapsed
}
