//! What the pages render: containers in the simulator (then in the status cache, through the
//! real poller) and templates in Postgres.

use crate::support::TestApp;
use berth_db::audit::{NewAuditEntry, Outcome};
use berth_db::catalog::Author;
use berth_db::catalog::templates::{self, Existing};
use berth_jobs::CancellationToken;
use berth_pve::types::CreateLxc;
use berth_pve::{Credentials, PveClient, TlsMode};
use berth_pve_sim::RunningSim;
use berth_status::{Poller, PollerConfig};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

const NODE: &str = "pve1";
const OS_TEMPLATE: &str = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";

/// A client of the simulator that follows tasks every 20 ms (Berth's waits a second).
pub fn client(sim: &RunningSim) -> PveClient {
    let token = sim.token("berth@pve!provisioner").unwrap();
    PveClient::builder(sim.base_url.clone())
        .tls(TlsMode::fingerprint(sim.fingerprint.as_deref().unwrap()).unwrap())
        .credentials(Credentials::token(&token.full_id, token.secret.as_str()))
        .task_poll_interval(Duration::from_millis(20))
        .build()
        .unwrap()
}

/// Creates `count` containers through the Proxmox API, 16 at a time (every other one started).
pub async fn containers(pve: &PveClient, count: u32) {
    let next = Arc::new(AtomicU32::new(0));
    let creators: Vec<_> = (0..16)
        .map(|_| {
            let (pve, next) = (pve.clone(), next.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        return;
                    }
                    let vmid = 1000 + i;
                    let mut request = CreateLxc::new(vmid, OS_TEMPLATE);
                    // 500 × 0.1 GiB fits the seeded thin pool.
                    request.rootfs = Some("local-lvm:0.1".into());
                    request.start = Some(i % 2 == 0);
                    request.options.hostname = Some(format!("bench-{vmid}"));
                    request.options.tags = Some("berth;bench".into());
                    let upid = pve.create_lxc(NODE, &request).await.unwrap();
                    pve.wait_task(&upid, Duration::from_secs(60)).await.unwrap();
                }
            })
        })
        .collect();
    for creator in creators {
        creator.await.unwrap();
    }
}

/// Runs the status poller until the cache holds `count` containers, then stops it, so that
/// whatever reaches Proxmox afterwards was asked for by a page.
pub async fn fill_cache(app: &TestApp, pve: PveClient, count: usize) {
    let redis = crate::support::redis(&berth_testkit::redis_url()).await;
    let mut config = PollerConfig::new("main", &app.key_prefix, "bench");
    config.interval = Duration::from_millis(500);
    let poller = Poller::new(
        pve,
        redis.clone(),
        app.queue.events(),
        app.queue.node_slots(),
        config,
    );
    let stop = CancellationToken::new();
    let running = tokio::spawn(poller.run(stop.clone()));
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let cached = berth_status::read_snapshot(&redis, &app.key_prefix, "main")
            .await
            .unwrap()
            .map_or(0, |snapshot| snapshot.containers.len());
        if cached >= count {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the cache holds {cached} of {count} containers after 60 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    stop.cancel();
    running.await.unwrap();
}

/// The built-in catalog plus copies of its first template, `count` templates in all.
pub async fn templates(app: &TestApp, count: usize) {
    let mut conn = app.pool.get().await.unwrap();
    let seeded = berth_catalog::builtin::seed(&mut conn).await.unwrap();
    let model = templates::detail(&mut conn, &seeded.templates[0])
        .await
        .unwrap()
        .spec;
    for i in seeded.templates.len()..count {
        let mut spec = model.clone();
        spec.name = format!("bench-{i:03}");
        spec.title = format!("Bench template {i:03}");
        let entry = NewAuditEntry::new("bench", "template.create", Outcome::Success);
        templates::save(
            &mut conn,
            &spec,
            Existing::Refuse,
            false,
            Author::BUILTIN,
            "bench",
            &entry,
        )
        .await
        .unwrap();
    }
}
