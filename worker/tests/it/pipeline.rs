//! A provisioning setup for the real `berth-worker` binary: a database with a template, the
//! Proxmox simulator with sandboxed containers, a real sshd in front of them, a queue of its own.

use berth_db::audit::{NewAuditEntry, Outcome};
use berth_db::catalog::{Author, templates};
use berth_db::runs::{self, NewRun, RunRecord};
use berth_db::testing::TestDatabase;
use berth_db::{Connection, Pool};
use berth_domain::container::{ContainerSpec, NodeChoice};
use berth_domain::run::{RunEvent, SequencedEvent, Stage};
use berth_domain::template::{HealthCheck, Interpreter, TemplateScript, TemplateSpec};
use berth_jobs::Queue;
use berth_pve::{Credentials, PveClient, TlsMode};
use berth_pve_sim::{RunningSim, SimOptions};
use berth_testkit as testkit;
use berth_testkit::sshd::{KeyPair, SshOptions, SshServer, ct_exec_binary};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;
use uuid::Uuid;

pub const NODE: &str = "pve1";
const TOKEN: &str = "berth@pve!provisioner";

pub struct Pipeline {
    pub db: TestDatabase,
    pub pool: Pool,
    pub sim: RunningSim,
    pub sshd: SshServer,
    pub queue: Queue,
    key: KeyPair,
    prefix: String,
    redis_url: String,
    dir: TempDir,
}

impl Pipeline {
    /// On the test run's Postgres and Redis.
    pub async fn start() -> Self {
        let db = TestDatabase::create().await.unwrap();
        Self::start_on(db, testkit::redis_url()).await
    }

    /// On the given database and Redis (the chaos test's private ones).
    pub async fn start_on(db: TestDatabase, redis_url: String) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let sandboxes = dir.path().join("sandboxes");
        let pool = db.pool().unwrap();
        let sim = berth_pve_sim::spawn(SimOptions {
            time_scale: 0.05,
            sandbox_dir: Some(sandboxes.clone()),
            ..SimOptions::with_default_seed()
        })
        .await
        .unwrap();
        std::fs::write(dir.path().join("ca.pem"), sim.ca_pem.as_deref().unwrap()).unwrap();
        let sshd = SshServer::start(SshOptions {
            sandbox_dir: sandboxes,
            node: NODE.into(),
            ct_exec: ct_exec_binary(),
        });
        let key = KeyPair::generate(dir.path(), "berth");
        let prefix = format!("berth-worker-it:{}:", Uuid::new_v4());
        let redis = connect_redis(&redis_url).await;
        // The worker's queue prefix is BERTH_REDIS_KEY_PREFIX + "jobs:".
        let queue = Queue::with_prefix(redis, &format!("{prefix}jobs:"));
        let pipeline = Self {
            db,
            pool,
            sim,
            sshd,
            queue,
            key,
            prefix,
            redis_url,
            dir,
        };
        pipeline.save_template().await;
        pipeline
    }

    async fn save_template(&self) {
        let template = TemplateSpec {
            name: "web".into(),
            title: "Web server".into(),
            scripts: vec![TemplateScript {
                name: "setup".into(),
                interpreter: Interpreter::Sh,
                run_as: "root".into(),
                timeout_secs: 60,
                content: "echo ran >> /root/setup.log\nmkdir -p /srv && echo ok > /srv/ready\n"
                    .into(),
            }],
            health_check: Some(HealthCheck::Command {
                command: "test -s /srv/ready".into(),
            }),
            ..TemplateSpec::blank()
        };
        let entry = NewAuditEntry::new("Tess Admin", "template.create", Outcome::Success);
        let author = Author {
            user_id: None,
            name: "Tess Admin",
        };
        templates::save(
            &mut self.conn().await,
            &template,
            templates::Existing::Refuse,
            false,
            author,
            "new",
            &entry,
        )
        .await
        .unwrap();
    }

    /// The workers' `BERTH_REDIS_KEY_PREFIX` (the status snapshot lives under it).
    pub fn key_prefix(&self) -> &str {
        &self.prefix
    }

    /// A Redis client on the workers' Redis.
    pub async fn redis(&self) -> fred::prelude::Client {
        connect_redis(&self.redis_url).await
    }

    pub async fn conn(&self) -> Connection {
        self.pool.get().await.unwrap()
    }

    /// A queued run, enqueued after its commit as the server does.
    pub async fn create_run(&self, hostname: &str) -> Uuid {
        let template = templates::version(&mut self.conn().await, "web", 1)
            .await
            .unwrap()
            .0;
        let mut spec = ContainerSpec::from_template(&template, 1);
        spec.identity.hostname = hostname.into();
        spec.identity.node = NodeChoice::Named(NODE.into());
        spec.storage.rootfs.storage = "local-lvm".into();
        // Small, so that the long chaos form's many runs fit the simulated thin pool.
        spec.storage.rootfs.size_gib = 1;
        let run = NewRun {
            template_name: "web",
            template_version: 1,
            hostname,
            spec: serde_json::to_value(&spec).unwrap(),
            secrets: serde_json::json!({}),
            vmid: None,
            requested_by: None,
            requested_by_name: "Olga Operator",
        };
        let entry = NewAuditEntry::new("Olga Operator", "run.create", Outcome::Success);
        let id = runs::create(&mut self.conn().await, &run, entry)
            .await
            .unwrap();
        self.queue.enqueue(id).await.unwrap();
        id
    }

    /// `berth-worker` wired to all of it, with a 2 s lease so a crash is taken over quickly.
    pub fn spawn_worker(&self, name: &str) -> Child {
        self.spawn_worker_with(name, &[])
    }

    /// The same with more settings (e.g. its metrics address).
    pub fn spawn_worker_with(&self, name: &str, extra: &[(&str, &str)]) -> Child {
        let seeded = self.sim.token(TOKEN).unwrap();
        let token = format!("{}={}", seeded.full_id, seeded.secret.as_str());
        let ca = self.dir.path().join("ca.pem").display().to_string();
        let key = self.key.private.display().to_string();
        let state = self.dir.path().join("state").display().to_string();
        let port = self.sshd.port.to_string();
        let log = std::fs::File::create(self.dir.path().join(format!("{name}.log"))).unwrap();
        testkit::command(
            crate::BIN,
            &[
                ("BERTH_DATABASE_URL", self.db.url()),
                ("BERTH_REDIS_URL", &self.redis_url),
                ("BERTH_REDIS_KEY_PREFIX", &self.prefix),
                ("BERTH_PVE_URL", &self.sim.base_url),
                ("BERTH_PVE_TOKEN", &token),
                ("BERTH_PVE_CA_FILE", &ca),
                ("BERTH_WORKER_NAME", name),
                ("BERTH_WORKER_LEASE_SECS", "2"),
                ("BERTH_WORKER_SSH_KEY", &key),
                ("BERTH_WORKER_SSH_PORT", &port),
                ("BERTH_WORKER_STATE_DIR", &state),
                ("BERTH_LOG", "info,berth_provision=debug"),
            ]
            .into_iter()
            .chain(extra.iter().copied())
            .collect::<Vec<_>>(),
        )
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap()
    }

    /// What a worker wrote to stderr, for a failure message.
    pub fn worker_log(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(format!("{name}.log"))).unwrap_or_default()
    }

    pub async fn run(&self, id: Uuid) -> RunRecord {
        runs::get(&mut self.conn().await, id).await.unwrap()
    }

    pub async fn events(&self, id: Uuid) -> Vec<SequencedEvent> {
        runs::events_after(&mut self.conn().await, id, 0, 10_000)
            .await
            .unwrap()
    }

    /// Waits until the run has reported starting `stage` (in any attempt).
    pub async fn until_started(&self, id: Uuid, stage: Stage, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            let started =
                self.events(id).await.iter().any(
                    |e| matches!(e.event, RunEvent::StageStarted { stage: s, .. } if s == stage),
                );
            if started {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    /// A client of the simulator with the worker's token.
    pub fn pve(&self) -> PveClient {
        let seeded = self.sim.token(TOKEN).unwrap();
        PveClient::builder(self.sim.base_url.clone())
            .tls(TlsMode::fingerprint(self.sim.fingerprint.as_deref().unwrap()).unwrap())
            .credentials(Credentials::token(&seeded.full_id, seeded.secret.as_str()))
            .build()
            .unwrap()
    }

    /// The VMIDs in the simulator that carry the run's tag.
    pub async fn containers_of(&self, id: Uuid) -> Vec<u32> {
        let tag = format!("berth-run-{id}");
        self.pve()
            .lxc_list(NODE)
            .await
            .unwrap()
            .into_iter()
            .filter(|ct| {
                ct.tags
                    .as_deref()
                    .unwrap_or("")
                    .split(';')
                    .any(|t| t == tag)
            })
            .map(|ct| ct.vmid)
            .collect()
    }
}

async fn connect_redis(url: &str) -> fred::prelude::Client {
    let client = fred::prelude::Builder::from_config(fred::prelude::Config::from_url(url).unwrap())
        .build()
        .unwrap();
    fred::prelude::ClientLike::init(&client).await.unwrap();
    client
}
