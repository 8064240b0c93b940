//! Container actions end to end below the UI: rows in a real Postgres, jobs on a real Redis, a
//! real `berth-jobs` runner, and the Proxmox simulator doing the tasks.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use berth_actions::{ActionRunner, queue_prefix};
use berth_db::Pool;
use berth_db::actions::{self, ActionError, NewAction};
use berth_db::audit::{NewAuditEntry, Outcome};
use berth_db::testing::TestDatabase;
use berth_domain::container::{ActionKind, ActionState, ActionView, ContainersPush};
use berth_jobs::{CancellationToken, Queue, Received, Runner, RunnerConfig, Subscription};
use berth_pve::types::{CreateLxc, GuestStatus, TaskListParams};
use berth_pve::{Credentials, PveClient, TlsMode};
use berth_pve_sim::{RunningSim, SimOptions};
use fred::prelude::{Builder, ClientLike, Config};
use std::time::{Duration, Instant};
use uuid::Uuid;

const NODE: &str = "pve1";

struct Setup {
    _sim: RunningSim,
    _db: TestDatabase,
    pve: PveClient,
    pool: Pool,
    queue: Queue,
    live: Subscription,
    stop: CancellationToken,
}

impl Setup {
    async fn start() -> Self {
        let sim = berth_pve_sim::spawn(SimOptions {
            time_scale: 0.02,
            ..SimOptions::with_default_seed()
        })
        .await
        .unwrap();
        let seeded = sim.token("berth@pve!provisioner").unwrap();
        let pve = PveClient::builder(sim.base_url.clone())
            .tls(TlsMode::fingerprint(sim.fingerprint.as_deref().unwrap()).unwrap())
            .credentials(Credentials::token(&seeded.full_id, seeded.secret.as_str()))
            .timeout(Duration::from_secs(5))
            .task_poll_interval(Duration::from_millis(20))
            .build()
            .unwrap();
        let db = TestDatabase::create().await.unwrap();
        let pool = db.pool().unwrap();
        let url = std::env::var("BERTH_TEST_REDIS_URL")
            .unwrap_or_else(|_| "redis://127.0.0.1:6379/".to_owned());
        let redis = Builder::from_config(Config::from_url(&url).unwrap())
            .build()
            .unwrap();
        redis.init().await.unwrap();
        let prefix = format!("berth-actions-test:{}:", Uuid::new_v4());
        let runs = Queue::with_prefix(redis.clone(), &format!("{prefix}jobs:"));
        let queue = Queue::with_prefix(redis, &queue_prefix(&prefix));
        let events = runs.events();
        let live = events
            .subscribe(&[events.containers_channel("main")])
            .await
            .unwrap();
        let stop = CancellationToken::new();
        let mut config = RunnerConfig::new("actions-test");
        config.concurrency = 2;
        let runner = Runner::new(
            queue.clone(),
            ActionRunner::new(pve.clone(), pool.clone(), events, "main"),
            config,
        );
        tokio::spawn(runner.run(stop.clone()));
        Self {
            _sim: sim,
            _db: db,
            pve,
            pool,
            queue,
            live,
            stop,
        }
    }

    async fn create_container(&self, vmid: u32) {
        let mut request =
            CreateLxc::new(vmid, "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst");
        request.rootfs = Some("local-lvm:8".into());
        request.options.hostname = Some(format!("ct{vmid}"));
        let upid = self.pve.create_lxc(NODE, &request).await.unwrap();
        self.pve
            .wait_task(&upid, Duration::from_secs(10))
            .await
            .unwrap();
    }

    /// Records the action as the server does and enqueues it.
    async fn ask(&self, vmid: u32, kind: ActionKind, snapshot: Option<&str>) -> Uuid {
        let mut conn = self.pool.get().await.unwrap();
        let name = format!("ct{vmid}");
        let action = NewAction {
            vmid,
            node: NODE,
            name: &name,
            kind,
            snapshot,
            description: None,
            requested_by: None,
            requested_by_name: "tester",
        };
        let entry = NewAuditEntry::new("tester", "container.action", Outcome::Success);
        let record = actions::create(&mut conn, &action, entry).await.unwrap();
        self.queue.enqueue(record.id).await.unwrap();
        record.id
    }

    /// Waits for the action to settle, and for its final state on the containers channel.
    async fn settled(&mut self, id: Uuid) -> ActionView {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            assert!(Instant::now() < deadline, "action {id} did not settle");
            if let Ok(Some(Received::Message(message))) =
                tokio::time::timeout(Duration::from_millis(500), self.live.recv()).await
                && let Ok(ContainersPush::Action { action }) =
                    serde_json::from_str::<ContainersPush>(&message.payload)
                && action.id == id.to_string()
                && action.state.is_final()
            {
                let mut conn = self.pool.get().await.unwrap();
                let stored = actions::get(&mut conn, id).await.unwrap().view;
                assert_eq!(stored, action, "the published state is the stored one");
                return stored;
            }
        }
    }

    async fn status(&self, vmid: u32) -> Option<GuestStatus> {
        let list = self.pve.lxc_list(NODE).await.unwrap();
        list.into_iter().find(|c| c.vmid == vmid).map(|c| c.status)
    }

    async fn tasks_of(&self, vmid: u32, kind: &str) -> usize {
        let params = TaskListParams {
            vmid: Some(vmid),
            typefilter: Some(kind.into()),
            source: Some("all".into()),
            ..TaskListParams::default()
        };
        self.pve.tasks(NODE, &params).await.unwrap().0.len()
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

#[tokio::test]
async fn a_container_is_started_snapshotted_stopped_and_destroyed_through_the_queue() {
    let mut setup = Setup::start().await;
    setup.create_container(4100).await;

    let start = setup.ask(4100, ActionKind::Start, None).await;
    let view = setup.settled(start).await;
    assert_eq!(view.state, ActionState::Succeeded, "{view:?}");
    assert!(view.upid.as_deref().unwrap().contains(":vzstart:4100:"));
    assert_eq!(setup.status(4100).await, Some(GuestStatus::Running));

    let snapshot = setup
        .ask(4100, ActionKind::Snapshot, Some("before-upgrade"))
        .await;
    assert_eq!(setup.settled(snapshot).await.state, ActionState::Succeeded);
    let names: Vec<_> = setup
        .pve
        .lxc_snapshots(NODE, 4100)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert!(names.contains(&"before-upgrade".to_string()), "{names:?}");

    // Starting a running container changes nothing and starts no second task.
    let again = setup.ask(4100, ActionKind::Start, None).await;
    let view = setup.settled(again).await;
    assert_eq!((view.state, view.upid), (ActionState::Succeeded, None));
    assert_eq!(setup.tasks_of(4100, "vzstart").await, 1);

    // Destroying a running container stops it first.
    let destroy = setup.ask(4100, ActionKind::Destroy, None).await;
    let view = setup.settled(destroy).await;
    assert_eq!(view.state, ActionState::Succeeded, "{view:?}");
    assert_eq!(setup.status(4100).await, None);
    assert_eq!(setup.tasks_of(4100, "vzstop").await, 1);
}

#[tokio::test]
async fn what_proxmox_refuses_fails_the_action_with_its_reason() {
    let mut setup = Setup::start().await;
    setup.create_container(4200).await;

    let reboot = setup.ask(4200, ActionKind::Reboot, None).await;
    let view = setup.settled(reboot).await;
    assert_eq!(view.state, ActionState::Failed);
    assert_eq!(view.error.as_deref(), Some("CT 4200 is not running"));

    let rollback = setup
        .ask(4200, ActionKind::Rollback, Some("never-taken"))
        .await;
    let view = setup.settled(rollback).await;
    assert_eq!(view.state, ActionState::Failed);
    assert!(
        view.error.as_deref().unwrap().contains("never-taken"),
        "{view:?}"
    );
    // The container is untouched.
    assert_eq!(setup.status(4200).await, Some(GuestStatus::Stopped));
}

#[tokio::test]
async fn one_action_at_a_time_per_container() {
    let setup = Setup::start().await;
    let mut conn = setup.pool.get().await.unwrap();
    let action = |kind| NewAction {
        vmid: 4300,
        node: NODE,
        name: "ct4300",
        kind,
        snapshot: None,
        description: None,
        requested_by: None,
        requested_by_name: "tester",
    };
    let entry = || NewAuditEntry::new("tester", "container.action", Outcome::Success);
    actions::create(&mut conn, &action(ActionKind::Start), entry())
        .await
        .unwrap();
    let second = actions::create(&mut conn, &action(ActionKind::Stop), entry()).await;
    assert!(matches!(second, Err(ActionError::Busy(4300))), "{second:?}");
    assert_eq!(actions::current(&mut conn, 60).await.unwrap().len(), 1);
}
