//! The containers page's server side against real Postgres, Redis and the Proxmox simulator:
//! `containers/action` checks, records, audits and queues an action or refuses it with a
//! specific reason and writes nothing; `/ws?containers=main` sends the snapshot, then what the
//! cluster's channel carries.

use crate::create_container::{audited, call, create, valid_spec};
use crate::support::{TestApp, app_with_sim, next_text, sim_proxmox, ws_request};
use axum::http::StatusCode;
use berth_db::actions;
use berth_domain::Role;
use berth_domain::container::{ContainerRow, ContainersDelta, ContainersPush, ContainersSnapshot};
use berth_jobs::{JobState, Queue};
use berth_pve::types::CreateLxc;
use berth_pve_sim::RunningSim;
use fred::prelude::KeysInterface;
use serde_json::json;
use std::time::Duration;

const NODE: &str = "pve1";

pub struct World {
    pub app: TestApp,
    actions: Queue,
    sim: RunningSim,
}

pub async fn world() -> World {
    let (app, sim) = app_with_sim(0.02).await;
    let actions = Queue::with_prefix(
        app.queue.client().clone(),
        &format!("{}actions:", app.key_prefix),
    );
    World { app, actions, sim }
}

impl World {
    pub async fn container(&self, vmid: u32, protected: bool) {
        let pve = berth_server::proxmox::client(&sim_proxmox(&self.sim)).unwrap();
        let mut request =
            CreateLxc::new(vmid, "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst");
        request.rootfs = Some("local-lvm:8".into());
        request.options.hostname = Some(format!("ct{vmid}"));
        request.options.protection = protected.then_some(true);
        let upid = pve.create_lxc(NODE, &request).await.unwrap();
        pve.wait_task(&upid, Duration::from_secs(10)).await.unwrap();
    }

    /// What the status poller would have written.
    pub async fn snapshot(&self, rows: Vec<ContainerRow>) {
        let mut snapshot = ContainersSnapshot::empty();
        snapshot.taken_at = "2026-11-30T12:00:00Z".into();
        snapshot.containers = rows;
        let key = berth_status::snapshot_key(&self.app.key_prefix, "main");
        self.app
            .queue
            .client()
            .set::<(), _, _>(
                key,
                serde_json::to_string(&snapshot).unwrap(),
                None,
                None,
                false,
            )
            .await
            .unwrap();
    }

    /// What the poller sends after a new snapshot: the changed row as a delta on the channel.
    /// Returns the message sent.
    pub async fn publish_change(&self, changed: ContainerRow) -> ContainersPush {
        let delta = ContainersPush::Delta {
            delta: ContainersDelta {
                taken_at: "2026-11-30T12:00:03Z".into(),
                error: None,
                failing_since: None,
                changed: vec![changed],
                removed: vec![],
            },
        };
        let events = self.app.queue.events();
        events
            .publish_to(
                &events.containers_channel("main"),
                &serde_json::to_string(&delta).unwrap(),
            )
            .await
            .unwrap();
        delta
    }

    async fn act(&self, cookie: &str, request: serde_json::Value) -> (StatusCode, String) {
        let body = json!({ "request": request }).to_string();
        call(&self.app, cookie, "containers/action", body).await
    }

    async fn recorded(&self) -> usize {
        let mut conn = self.app.pool.get().await.unwrap();
        actions::current(&mut conn, 3600).await.unwrap().len()
    }
}

pub fn row(vmid: u32, status: &str, run: Option<&str>) -> ContainerRow {
    ContainerRow {
        vmid,
        node: NODE.into(),
        name: format!("ct{vmid}"),
        status: status.into(),
        tags: vec!["berth".into()],
        lock: None,
        cpu: 0.0,
        cores: 1.0,
        mem: 0,
        maxmem: 512 << 20,
        disk: 0,
        maxdisk: 8 << 30,
        uptime: 0,
        netin: 0,
        netout: 0,
        run: run.map(str::to_string),
    }
}

fn field(body: &str) -> String {
    let error: serde_json::Value = serde_json::from_str(body).unwrap();
    error["Invalid"]["field"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_action_is_checked_then_recorded_audited_and_queued() {
    let world = world().await;
    world.container(4100, false).await;
    world.snapshot(vec![row(4100, "stopped", None)]).await;
    let admin = world.app.sign_in_as(Role::Admin).await;
    let act = |request| world.act(&admin, request);

    // (request, status, field, what the message says)
    let refusals = [
        (
            json!({"vmid": 4100, "kind": "stop"}),
            StatusCode::CONFLICT,
            "",
            "not running",
        ),
        (
            json!({"vmid": 999, "kind": "start"}),
            StatusCode::BAD_REQUEST,
            "vmid",
            "no container 999",
        ),
        (
            json!({"vmid": 4100, "kind": "destroy", "confirm": "ct41"}),
            StatusCode::BAD_REQUEST,
            "confirm",
            "Type the container's name",
        ),
        (
            json!({"vmid": 4100, "kind": "snapshot", "snapshot": "1bad"}),
            StatusCode::BAD_REQUEST,
            "snapshot",
            "starts with a letter",
        ),
        (
            json!({"vmid": 4100, "kind": "rollback", "snapshot": "never", "confirm": "ct4100"}),
            StatusCode::BAD_REQUEST,
            "snapshot",
            "has no snapshot",
        ),
        (
            json!({"vmid": 4100, "kind": "stop", "description": "why"}),
            StatusCode::BAD_REQUEST,
            "description",
            "only a new snapshot",
        ),
    ];
    for (request, status, at, says) in refusals {
        let (got, body) = act(request.clone()).await;
        assert_eq!(got, status, "{request}: {body}");
        assert_eq!(field(&body), at, "{request}: {body}");
        assert!(body.contains(says), "{request}: {body}");
    }
    assert_eq!(world.recorded().await, 0, "a refusal writes nothing");

    let (status, body) = act(json!({"vmid": 4100, "kind": "start"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let view: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(view["state"], "queued");
    assert!(view["requested_by"].as_str().unwrap().starts_with("admin"));
    let id = view["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        world.actions.state(id).await.unwrap(),
        Some(JobState::Ready)
    );

    let entries = audited(&world.app, "container.start").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].correlation_id.as_deref(),
        Some(id.to_string().as_str())
    );

    // One action at a time per container.
    let (status, body) = act(json!({"vmid": 4100, "kind": "start"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("already has an action under way"), "{body}");
    assert_eq!(world.recorded().await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn protection_and_ownership_are_respected() {
    let world = world().await;
    world.container(4200, true).await;
    world.container(4201, false).await;
    let operator = world.app.sign_in_as(Role::Operator).await;
    let (_, body) = create(&world.app, &operator, &valid_spec(&world.app).await).await;
    let own_run: String = serde_json::from_str(&body).unwrap();
    world
        .snapshot(vec![
            row(4200, "stopped", None),
            row(4201, "stopped", Some(&own_run)),
        ])
        .await;
    let admin = world.app.sign_in_as(Role::Admin).await;

    let (status, body) = world
        .act(
            &admin,
            json!({"vmid": 4200, "kind": "destroy", "confirm": "ct4200"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("protection"), "{body}");

    // An operator may not touch what someone else made…
    let (status, body) = world
        .act(&operator, json!({"vmid": 4200, "kind": "start"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // …but may manage what their own run made; a viewer nothing.
    let viewer = world.app.sign_in_as(Role::Viewer).await;
    let (status, body) = world
        .act(&viewer, json!({"vmid": 4201, "kind": "start"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = world
        .act(&operator, json!({"vmid": 4201, "kind": "start"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(world.recorded().await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_containers_socket_sends_the_snapshot_then_what_changes() {
    let world = world().await;
    world.snapshot(vec![row(4300, "running", None)]).await;
    let viewer = world.app.sign_in_as(Role::Viewer).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = world.app.router.clone();
    tokio::spawn(async move { axum::serve(listener, router).await });

    let (mut socket, _) =
        tokio_tungstenite::connect_async(ws_request(address, "containers=main", &viewer))
            .await
            .unwrap();
    let mut next =
        async || -> ContainersPush { serde_json::from_str(&next_text(&mut socket).await).unwrap() };
    match next().await {
        ContainersPush::Snapshot { snapshot, actions } => {
            assert_eq!(snapshot.containers, [row(4300, "running", None)]);
            assert!(actions.is_empty());
        }
        other => panic!("first came {other:?}"),
    }
    // The socket subscribes before it reads the snapshot, so this cannot fall between them.
    let delta = world.publish_change(row(4300, "stopped", None)).await;
    assert_eq!(next().await, delta);
    // An action's state and the rows after it come through alike, in order.
    let action = ContainersPush::Action {
        action: berth_domain::container::ActionView {
            id: uuid::Uuid::new_v4().to_string(),
            vmid: 4300,
            node: NODE.into(),
            name: "ct4300".into(),
            kind: berth_domain::container::ActionKind::Stop,
            snapshot: None,
            state: berth_domain::container::ActionState::Succeeded,
            error: None,
            upid: None,
            requested_by: "ada".into(),
            created_at: "2026-11-30T12:00:04Z".into(),
            finished_at: Some("2026-11-30T12:00:05Z".into()),
        },
    };
    let events = world.app.queue.events();
    let channel = events.containers_channel("main");
    for push in [&action, &delta] {
        events
            .publish_to(&channel, &serde_json::to_string(push).unwrap())
            .await
            .unwrap();
    }
    assert_eq!(next().await, action);
    assert_eq!(next().await, delta);

    // Only the one cluster exists, and a socket follows one thing.
    for (query, status) in [("containers=lab", 404), ("", 400)] {
        match tokio_tungstenite::connect_async(ws_request(address, query, &viewer)).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                assert_eq!(response.status().as_u16(), status, "{query}");
            }
            other => panic!("{query}: {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_detail_gathers_config_snapshots_graphs_and_history() {
    let world = world().await;
    world.container(4400, false).await;
    let pve = berth_server::proxmox::client(&sim_proxmox(&world.sim)).unwrap();
    let upid = pve
        .create_lxc_snapshot(NODE, 4400, "first", Some("before the upgrade"))
        .await
        .unwrap();
    pve.wait_task(&upid, Duration::from_secs(10)).await.unwrap();
    world.snapshot(vec![row(4400, "stopped", None)]).await;
    let viewer = world.app.sign_in_as(Role::Viewer).await;

    let (status, body) = call(
        &world.app,
        &viewer,
        "containers/detail",
        r#"{"vmid":4400}"#.into(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let detail: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(detail["row"]["vmid"], 4400);
    assert_eq!(detail["can_act"], false, "a viewer only looks");
    assert_eq!(detail["gaps"], json!([]), "{body}");
    let config = detail["config"].as_array().unwrap();
    assert!(config.contains(&json!(["hostname", "ct4400"])), "{body}");
    let snapshots = detail["snapshots"].as_array().unwrap();
    assert_eq!(
        snapshots.len(),
        1,
        "the `current` pseudo-entry is left out: {body}"
    );
    assert_eq!(snapshots[0]["name"], "first");
    assert_eq!(snapshots[0]["description"], "before the upgrade");
    assert!(detail["history"].is_array());

    let (status, body) = call(
        &world.app,
        &viewer,
        "containers/detail",
        r#"{"vmid":4401}"#.into(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(field(&body), "vmid");
}
