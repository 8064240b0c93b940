//! The poller against the Proxmox simulator and the real Redis (`BERTH_TEST_REDIS_URL`): the
//! snapshot, the deltas, one poller per cluster, and Proxmox going away and coming back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use berth_domain::container::{ContainersPush, ContainersSnapshot};
use berth_jobs::{CancellationToken, Queue, Received};
use berth_pve::types::CreateLxc;
use berth_pve::{Credentials, PveClient, TlsMode};
use berth_pve_sim::{RunningSim, SimOptions};
use berth_status::{Poller, PollerConfig, read_snapshot};
use fred::prelude::{Builder, ClientLike, Config};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

const NODE: &str = "pve1";

struct Setup {
    sim: RunningSim,
    redis: fred::prelude::Client,
    prefix: String,
    queue: Queue,
}

impl Setup {
    async fn start() -> Self {
        let sim = berth_pve_sim::spawn(SimOptions {
            time_scale: 0.02,
            ..SimOptions::with_default_seed()
        })
        .await
        .unwrap();
        let url = std::env::var("BERTH_TEST_REDIS_URL")
            .unwrap_or_else(|_| "redis://127.0.0.1:6379/".to_owned());
        let redis = Builder::from_config(Config::from_url(&url).unwrap())
            .build()
            .unwrap();
        redis.init().await.unwrap();
        let prefix = format!("berth-status-test:{}:", uuid::Uuid::new_v4());
        let queue = Queue::with_prefix(redis.clone(), &format!("{prefix}jobs:"));
        Self {
            sim,
            redis,
            prefix,
            queue,
        }
    }

    fn pve(&self) -> PveClient {
        let seeded = self.sim.token("berth@pve!provisioner").unwrap();
        PveClient::builder(self.sim.base_url.clone())
            .tls(TlsMode::fingerprint(self.sim.fingerprint.as_deref().unwrap()).unwrap())
            .credentials(Credentials::token(&seeded.full_id, seeded.secret.as_str()))
            .timeout(Duration::from_secs(2))
            .task_poll_interval(Duration::from_millis(20))
            .build()
            .unwrap()
    }

    fn poller(&self, holder: &str) -> Poller {
        let mut config = PollerConfig::new("main", &self.prefix, holder);
        config.interval = Duration::from_millis(100);
        config.max_backoff = Duration::from_millis(400);
        Poller::new(
            self.pve(),
            self.redis.clone(),
            self.queue.events(),
            self.queue.node_slots(),
            config,
        )
    }

    async fn snapshot(&self) -> Option<ContainersSnapshot> {
        read_snapshot(&self.redis, &self.prefix, "main")
            .await
            .unwrap()
    }

    /// Waits (up to 10 s) for a snapshot that satisfies `check`.
    async fn until(&self, check: impl Fn(&ContainersSnapshot) -> bool) -> ContainersSnapshot {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(snapshot) = self.snapshot().await
                && check(&snapshot)
            {
                return snapshot;
            }
            assert!(
                Instant::now() < deadline,
                "no such snapshot: {:?}",
                self.snapshot().await
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn create(&self, vmid: u32, hostname: &str) {
        let mut request =
            CreateLxc::new(vmid, "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst");
        request.rootfs = Some("local-lvm:8".into());
        request.options.hostname = Some(hostname.into());
        request.options.tags = Some("berth;berth-run-r1".into());
        let pve = self.pve();
        let upid = pve.create_lxc(NODE, &request).await.unwrap();
        pve.wait_task(&upid, Duration::from_secs(10)).await.unwrap();
    }

    async fn set_faults(&self, faults: serde_json::Value) {
        let pem = self.sim.ca_pem.as_deref().unwrap();
        let http = reqwest::Client::builder()
            .tls_built_in_root_certs(false)
            .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap())
            .no_proxy()
            .build()
            .unwrap();
        let resp = http
            .put(format!("{}/faults", self.sim.admin_url))
            .header("content-type", "application/json")
            .body(faults.to_string())
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success());
    }
}

#[tokio::test]
async fn the_snapshot_follows_the_cluster_and_changes_are_published() {
    let s = Setup::start().await;
    let events = s.queue.events();
    let mut live = events
        .subscribe(&[events.containers_channel("main")])
        .await
        .unwrap();
    let stop = CancellationToken::new();
    let poller = tokio::spawn(s.poller("server-a").run(stop.clone()));

    let first = s.until(|_| true).await;
    assert!(first.error.is_none());
    s.create(150, "shop1").await;
    // Like real PVE, a new guest shows up bare ("unknown", no tags) until the next stats
    // broadcast; the poller picks up the rest on a later poll.
    let snapshot = s
        .until(|snap| {
            snap.containers
                .iter()
                .any(|c| c.vmid == 150 && c.run.is_some())
        })
        .await;
    let row = snapshot.containers.iter().find(|c| c.vmid == 150).unwrap();
    assert_eq!(row.name, "shop1");
    assert_eq!(row.node, NODE);
    assert_eq!(row.run.as_deref(), Some("r1"));
    assert!(row.is_managed());

    // A browser rebuilding the list from the deltas ends where the snapshot is.
    let mut rebuilt = ContainersSnapshot::empty();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !rebuilt
        .containers
        .iter()
        .any(|c| c.vmid == 150 && c.run.is_some())
    {
        assert!(Instant::now() < deadline, "no delta with CT 150");
        if let Ok(Some(Received::Message(message))) =
            tokio::time::timeout(Duration::from_secs(1), live.recv()).await
        {
            match serde_json::from_str(&message.payload).unwrap() {
                ContainersPush::Delta { delta } => rebuilt.apply(&delta),
                other => panic!("the poller published {other:?}"),
            }
        }
    }
    assert!(
        rebuilt
            .containers
            .iter()
            .any(|c| c.vmid == 150 && c.name == "shop1")
    );
    stop.cancel();
    poller.await.unwrap();
}

#[tokio::test]
async fn one_poller_polls_however_many_processes_run_one() {
    let s = Setup::start().await;
    let stop = CancellationToken::new();
    let (a, b) = (s.poller("server-a"), s.poller("server-b"));
    let (stats_a, stats_b) = (a.stats(), b.stats());
    let first = tokio::spawn(a.run(stop.clone()));
    s.until(|_| true).await;
    let second = tokio::spawn(b.run(stop.clone()));
    // The leader keeps polling (a few more times at least) while the other only waits.
    let from = stats_a.polls.load(Ordering::Relaxed);
    let deadline = Instant::now() + Duration::from_secs(10);
    while stats_a.polls.load(Ordering::Relaxed) < from + 4 {
        assert!(Instant::now() < deadline, "the leader stopped polling");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(stats_b.polls.load(Ordering::Relaxed), 0, "the other waits");

    // Both stop (the leader gives its slot back); a new process takes over.
    stop.cancel();
    first.await.unwrap();
    second.await.unwrap();
    let stop = CancellationToken::new();
    let c = s.poller("server-b");
    let stats_c = c.stats();
    let takeover = tokio::spawn(c.run(stop.clone()));
    let deadline = Instant::now() + Duration::from_secs(10);
    while stats_c.polls.load(Ordering::Relaxed) == 0 {
        assert!(Instant::now() < deadline, "nobody took over");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.cancel();
    takeover.await.unwrap();
}

#[tokio::test]
async fn while_proxmox_fails_the_last_rows_stay_and_say_how_old_they_are() {
    let s = Setup::start().await;
    s.create(151, "kept1").await;
    let stop = CancellationToken::new();
    let poller = s.poller("server-a");
    let stats = poller.stats();
    let task = tokio::spawn(poller.run(stop.clone()));
    let good = s
        .until(|snap| snap.containers.iter().any(|c| c.vmid == 151))
        .await;

    s.set_faults(serde_json::json!({"error_rate": 1.0, "error_status": 503}))
        .await;
    let failing = s.until(|snap| snap.error.is_some()).await;
    assert!(
        failing.containers.iter().any(|c| c.vmid == 151),
        "rows kept"
    );
    assert_eq!(failing.taken_at, good.taken_at, "as of the last answer");
    assert!(failing.failing_since.is_some());
    // Backing off: far fewer polls than one per 100 ms interval.
    let before = stats.polls.load(Ordering::Relaxed);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let during = stats.polls.load(Ordering::Relaxed) - before;
    assert!(during <= 5, "backed off ({during} polls in 1.2 s)");

    s.set_faults(serde_json::json!({})).await;
    let recovered = s.until(|snap| snap.error.is_none()).await;
    assert!(recovered.failing_since.is_none());
    assert!(recovered.containers.iter().any(|c| c.vmid == 151));
    stop.cancel();
    task.await.unwrap();
}
