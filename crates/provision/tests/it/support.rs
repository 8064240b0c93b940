//! A harness per test: a database with one template, a simulator, a queue prefix, and a
//! provisioner wired to them; plus attempts the test controls (to act out crashes and cancels).

use berth_db::audit::{NewAuditEntry, Outcome};
use berth_db::catalog::{Author, buckets, templates};
use berth_db::runs::{self, NewRun, RunRecord};
use berth_db::testing::TestDatabase;
use berth_db::{Connection, Pool};
use berth_domain::container::{ContainerSpec, NodeChoice, VmidChoice};
use berth_domain::run::SequencedEvent;
use berth_domain::template::{PackageBucket, TemplateSpec};
use berth_jobs::{CancelReason, CancellationToken, Queue};
use berth_provision::{
    Attempt, ExecSettings, PROXMOX_STAGES, Provisioner, RunEvents, Services, Settings,
};
use berth_pve::{Credentials, PveClient, TlsMode};
use berth_pve_sim::{RunningSim, SimOptions};
use fred::prelude::{Builder, ClientLike, Config};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use uuid::Uuid;

pub const NODE: &str = "pve1";
pub const PROVISIONER: &str = "berth@pve!provisioner";
pub const AUDITOR: &str = "auditor@pve!readonly";
pub const SSH_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl olga@laptop";

pub struct Harness {
    /// Kept for the test's lifetime: dropping it drops the database.
    _db: TestDatabase,
    pub pool: Pool,
    pub sim: RunningSim,
    pub queue: Queue,
    pub template: TemplateSpec,
    token: String,
}

impl Harness {
    pub async fn start() -> Self {
        Self::start_as(PROVISIONER).await
    }

    /// With the simulator's seeded token `token` as Berth's Proxmox credentials.
    pub async fn start_as(token: &str) -> Self {
        Self::start_with(token, web_template(), &[], None).await
    }

    /// With `template` (named `web`) and its `buckets` in the catalog, and the simulator's
    /// containers backed by sandboxes under `sandbox_dir` when given.
    pub async fn start_with(
        token: &str,
        template: TemplateSpec,
        buckets: &[PackageBucket],
        sandbox_dir: Option<std::path::PathBuf>,
    ) -> Self {
        let db = TestDatabase::create().await.unwrap();
        let pool = db.pool().unwrap();
        let sim = berth_pve_sim::spawn(SimOptions {
            time_scale: 0.02,
            sandbox_dir,
            ..SimOptions::with_default_seed()
        })
        .await
        .unwrap();
        let mut conn = pool.get().await.unwrap();
        for bucket in buckets {
            let entry = NewAuditEntry::new("Tess Admin", "bucket.create", Outcome::Success);
            buckets::create(&mut conn, bucket, false, &entry)
                .await
                .unwrap();
        }
        let author = Author {
            user_id: None,
            name: "Tess Admin",
        };
        let entry = NewAuditEntry::new("Tess Admin", "template.create", Outcome::Success);
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
        let queue = Queue::with_prefix(
            redis().await,
            &format!("berth-provision-test:{}:", Uuid::new_v4()),
        );
        Self {
            _db: db,
            pool,
            sim,
            queue,
            template,
            token: token.to_owned(),
        }
    }

    pub fn client_as(&self, token: &str) -> PveClient {
        let seeded = self.sim.token(token).expect("seeded token");
        PveClient::builder(self.sim.base_url.clone())
            .tls(TlsMode::fingerprint(self.sim.fingerprint.as_deref().unwrap()).unwrap())
            .credentials(Credentials::token(&seeded.full_id, seeded.secret.as_str()))
            .timeout(Duration::from_secs(5))
            .task_poll_interval(Duration::from_millis(20))
            .build()
            .unwrap()
    }

    /// Berth's client: what the provisioner uses.
    pub fn pve(&self) -> PveClient {
        self.client_as(&self.token)
    }

    pub fn provisioner(&self) -> Provisioner {
        self.provisioner_of(&PROXMOX_STAGES)
    }

    pub fn provisioner_of(&self, stages: &[berth_domain::run::Stage]) -> Provisioner {
        self.provisioner_with(stages, None)
    }

    /// A provisioner that runs `stages`, reaching into containers as `exec` says.
    pub fn provisioner_with(
        &self,
        stages: &[berth_domain::run::Stage],
        exec: Option<ExecSettings>,
    ) -> Provisioner {
        self.provisioner_from(stages, test_settings(exec))
    }

    pub fn provisioner_from(
        &self,
        stages: &[berth_domain::run::Stage],
        settings: Settings,
    ) -> Provisioner {
        let services = Services {
            pve: self.pve(),
            pool: self.pool.clone(),
            slots: self.queue.node_slots(),
            events: Arc::new(RunEvents::new(self.pool.clone(), self.queue.events())),
            settings: Arc::new(settings),
        };
        Provisioner::new(services, stages)
    }

    pub async fn conn(&self) -> Connection {
        self.pool.get().await.unwrap()
    }

    /// The wizard's defaults for the template, on `local-lvm` on pve1 with an SSH key.
    pub fn spec(&self, hostname: &str) -> ContainerSpec {
        let mut spec = ContainerSpec::from_template(&self.template, 1);
        spec.identity.hostname = hostname.into();
        spec.identity.node = NodeChoice::Named(NODE.into());
        spec.identity.tags = vec!["lab".into()];
        spec.storage.rootfs.storage = "local-lvm".into();
        spec.resources.cores = 2;
        spec.resources.memory_mib = 1024;
        spec.access.ssh_keys = vec![SSH_KEY.into()];
        spec
    }

    /// A queued run of `spec`, as the server writes it.
    pub async fn create_run(&self, spec: &ContainerSpec) -> Uuid {
        self.create_run_with_secrets(spec, serde_json::json!({}))
            .await
    }

    /// The same, with the run's `secrets` (e.g. the root password's hash).
    pub async fn create_run_with_secrets(
        &self,
        spec: &ContainerSpec,
        secrets: serde_json::Value,
    ) -> Uuid {
        let vmid = match spec.identity.vmid {
            VmidChoice::Chosen(v) => Some(v as i32),
            VmidChoice::Auto => None,
        };
        let run = NewRun {
            template_name: "web",
            template_version: 1,
            hostname: &spec.identity.hostname,
            spec: serde_json::to_value(spec).unwrap(),
            secrets,
            vmid,
            requested_by: None,
            requested_by_name: "Olga Operator",
        };
        let entry = NewAuditEntry::new("Olga Operator", "run.create", Outcome::Success);
        runs::create(&mut self.conn().await, &run, entry)
            .await
            .unwrap()
    }

    pub async fn run_record(&self, id: Uuid) -> RunRecord {
        runs::get(&mut self.conn().await, id).await.unwrap()
    }

    pub async fn events(&self, id: Uuid) -> Vec<SequencedEvent> {
        runs::events_after(&mut self.conn().await, id, 0, 1000)
            .await
            .unwrap()
    }

    /// Containers in the simulator tagged with the run's tag.
    pub async fn tagged(&self, run: Uuid) -> Vec<u32> {
        let tag = berth_provision::run_tag(run);
        self.client_as(PROVISIONER)
            .lxc_list(NODE)
            .await
            .unwrap()
            .into_iter()
            .filter(|ct| ct.has_tag(&tag))
            .map(|ct| ct.vmid)
            .collect()
    }

    /// Replaces the simulator's active faults.
    pub async fn set_faults(&self, faults: serde_json::Value) {
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

/// The template most tests provision: a small Debian container on DHCP.
pub fn web_template() -> TemplateSpec {
    TemplateSpec {
        name: "web".into(),
        title: "Web server".into(),
        category: "base".into(),
        tags: vec!["debian".into()],
        ..TemplateSpec::blank()
    }
}

pub async fn redis() -> fred::prelude::Client {
    let url = std::env::var("BERTH_TEST_REDIS_URL")
        .unwrap_or_else(|_| "redis://127.0.0.1:6379/".to_owned());
    let client = Builder::from_config(Config::from_url(&url).unwrap())
        .build()
        .unwrap();
    client.init().await.unwrap();
    client
}

/// An attempt the test controls: its lease token, whether it is the last, and its stop signal.
#[derive(Debug, Clone)]
pub struct TestAttempt {
    pub run: Uuid,
    pub token: Uuid,
    pub number: u32,
    pub last: bool,
    stop: CancellationToken,
    reason: Arc<Mutex<Option<CancelReason>>>,
}

impl TestAttempt {
    pub fn new(run: Uuid, number: u32) -> Self {
        Self {
            run,
            token: Uuid::new_v4(),
            number,
            last: false,
            stop: CancellationToken::new(),
            reason: Arc::default(),
        }
    }

    pub fn last(mut self) -> Self {
        self.last = true;
        self
    }

    pub fn stop(&self, reason: CancelReason) {
        *self.reason.lock().unwrap() = Some(reason);
        self.stop.cancel();
    }
}

impl Attempt for TestAttempt {
    fn run_id(&self) -> Uuid {
        self.run
    }
    fn lease_token(&self) -> Uuid {
        self.token
    }
    fn number(&self) -> u32 {
        self.number
    }
    fn is_last(&self) -> bool {
        self.last
    }
    fn stop_token(&self) -> &CancellationToken {
        &self.stop
    }
    fn stop_reason(&self) -> Option<CancelReason> {
        *self.reason.lock().unwrap()
    }
}

/// Waits (up to 10 s) until the run has reported starting `stage`.
pub async fn until_stage_started(h: &Harness, run: Uuid, stage: berth_domain::run::Stage) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let started = h.events(run).await.iter().any(|e| {
            matches!(e.event, berth_domain::run::RunEvent::StageStarted { stage: s, .. } if s == stage)
        });
        if started {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{stage:?} never started"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

impl Harness {
    /// Slows every container call on pve1, so a test can act while a run is inside a stage.
    pub async fn slow_container_calls(&self) {
        self.set_faults(
            serde_json::json!({"latency_by_prefix": [{"prefix": "/nodes/pve1/lxc", "ms": 300}]}),
        )
        .await;
    }

    /// Starts `attempt` in the background once the run has an id; the test acts meanwhile.
    pub fn spawn_attempt(
        &self,
        attempt: &TestAttempt,
    ) -> tokio::task::JoinHandle<berth_jobs::JobOutcome> {
        let (provisioner, attempt) = (self.provisioner(), attempt.clone());
        tokio::spawn(async move { provisioner.run(&attempt).await })
    }

    /// Runs a fresh attempt with no faults and checks the run got through the Proxmox stages
    /// with exactly one container.
    pub async fn assert_completes_with_one_container(&self, run: Uuid, number: u32) {
        self.set_faults(serde_json::json!({})).await;
        self.provisioner().run(&TestAttempt::new(run, number)).await;
        let record = self.run_record(run).await;
        assert_eq!(
            record.summary.stage,
            Some(berth_domain::run::Stage::Connect),
            "{:?}",
            record.summary.error
        );
        assert_eq!(self.tagged(run).await.len(), 1);
    }
}

/// A worker's settings with the waits cut short for tests.
pub fn test_settings(exec: Option<ExecSettings>) -> Settings {
    let mut settings = Settings::new("test-worker");
    settings.exec = exec;
    settings.create_deadline = Duration::from_secs(20);
    settings.start_deadline = Duration::from_secs(20);
    settings.address_deadline = Duration::from_secs(10);
    settings.address_poll = Duration::from_millis(50);
    settings.slot_wait = Duration::from_secs(5);
    settings
}
