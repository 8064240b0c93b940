//! Containers on the REST API: creating one goes through the wizard's code (a queued run with
//! its audit entry; a refused spec writes nothing and names each field; a viewer is refused),
//! and the list reads the status poller's snapshot from Redis.

use crate::api_v1::{get_bearer, json, token_for};
use crate::create_container::valid_spec;
use crate::support::{Setup, TestApp, app};
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use berth_db::audit::{self, AuditFilter};
use berth_db::runs::{self, RunFilter};
use berth_domain::Role;
use berth_domain::container::{ContainerRow, ContainerSpec, ContainersSnapshot};
use berth_jobs::JobState;
use fred::prelude::KeysInterface;

/// A token of a fresh user with `role`.
pub async fn token(app: &TestApp, role: Role) -> String {
    let name = format!(
        "{}-{}",
        role.key(),
        &uuid::Uuid::new_v4().simple().to_string()[..6]
    );
    let user = app
        .create_user(&name, role, "correct horse battery staple")
        .await;
    token_for(app, &user, role, None).await.1
}

async fn post(app: &TestApp, token: &str, body: String) -> (Response<Body>, String) {
    let request = Request::post("/api/v1/containers")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

pub async fn create(app: &TestApp, token: &str, spec: &ContainerSpec) -> (Response<Body>, String) {
    post(app, token, serde_json::to_string(spec).unwrap()).await
}

async fn creations_audited(app: &TestApp) -> Vec<audit::AuditEntry> {
    let mut conn = app.pool.get().await.unwrap();
    let filter = AuditFilter {
        action: Some("container.create".into()),
        ..AuditFilter::default()
    };
    audit::list(&mut conn, &filter, berth_db::Page::default())
        .await
        .unwrap()
        .entries
}

async fn run_count(app: &TestApp) -> usize {
    let mut conn = app.pool.get().await.unwrap();
    runs::list(&mut conn, &RunFilter::default())
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_created_container_is_a_queued_run_with_its_audit_entry() {
    let app = app(Setup::default()).await;
    let operator = token(&app, Role::Operator).await;
    let spec = valid_spec(&app).await;

    let (response, body) = create(&app, &operator, &spec).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{body}");
    let created = json(&body);
    let run = created["run"].as_str().unwrap().to_string();
    let url = format!("/api/v1/runs/{run}");
    assert_eq!(created["url"], url);
    assert_eq!(response.headers()[header::LOCATION], url.as_str());

    let (response, body) = get_bearer(&app, &url, &operator).await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
    let detail = json(&body);
    assert_eq!(detail["state"], "queued");
    assert_eq!(detail["hostname"], "web1");
    assert_eq!(detail["template_name"], "debian-base");
    assert_eq!(detail["stages"].as_array().unwrap().len(), 9);
    assert!(!body.contains("plain-root-password"), "{body}");

    let entries = creations_audited(&app).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].correlation_id.as_deref(), Some(run.as_str()));
    assert!(entries[0].actor_name.starts_with("operator-"));
    assert_eq!(
        entries[0].source_ip.map(|ip| ip.to_string()).as_deref(),
        Some("127.0.0.1")
    );
    let id = uuid::Uuid::parse_str(&run).unwrap();
    assert_eq!(app.queue.state(id).await.unwrap(), Some(JobState::Ready));
}

#[tokio::test]
async fn a_refused_spec_names_every_field_and_writes_nothing() {
    let app = app(Setup::default()).await;
    let operator = token(&app, Role::Operator).await;
    let mut spec = valid_spec(&app).await;
    spec.identity.hostname = "bad_name!".into();
    spec.access.ssh_keys = vec!["ssh-ed25519 not-a-key".into()];
    spec.inputs.set("owner_team", "!!");

    let (response, body) = create(&app, &operator, &spec).await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "{body}"
    );
    let answer = json(&body);
    assert!(
        answer["error"].as_str().unwrap().contains("problem"),
        "{body}"
    );
    let mut paths: Vec<&str> = answer["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "access.ssh_keys[0]",
            "identity.hostname",
            "inputs.owner_team"
        ],
        "{body}"
    );

    // A body that is not a spec at all is a 400 that says what is wrong with it.
    let (response, body) = post(&app, &operator, r#"{"template": 1}"#.into()).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
    assert!(json(&body)["error"].as_str().unwrap().contains("template"));

    assert_eq!(run_count(&app).await, 0);
    assert!(creations_audited(&app).await.is_empty());
    assert_eq!(app.queue.live_jobs().await.unwrap(), 0);
}

#[tokio::test]
async fn a_viewer_may_not_create() {
    let app = app(Setup::default()).await;
    let viewer = token(&app, Role::Viewer).await;
    let (response, body) = create(&app, &viewer, &valid_spec(&app).await).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "{body}");
    assert!(
        json(&body)["error"]
            .as_str()
            .unwrap()
            .contains("operator role"),
        "{body}"
    );
    // Before the body is even read.
    let (response, _) = post(&app, &viewer, "not json".into()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(run_count(&app).await, 0);
    assert!(creations_audited(&app).await.is_empty());
}

fn row(vmid: u32, name: &str, status: &str, tags: &[&str]) -> ContainerRow {
    ContainerRow {
        vmid,
        node: "pve1".into(),
        name: name.into(),
        status: status.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        lock: None,
        cpu: 0.25,
        cores: 2.0,
        mem: 512 << 20,
        maxmem: 1 << 30,
        disk: 1 << 30,
        maxdisk: 8 << 30,
        uptime: 3600,
        netin: 10,
        netout: 20,
        run: None,
    }
}

/// Writes a snapshot where the worker's poller would: under the test's own Redis prefix.
async fn write_snapshot(app: &TestApp, snapshot: &ContainersSnapshot) {
    let key = berth_status::snapshot_key(&app.key_prefix, app::containers::CLUSTER);
    app.queue
        .client()
        .set::<(), _, _>(
            key,
            serde_json::to_string(snapshot).unwrap(),
            None,
            None,
            false,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn the_list_is_the_pollers_snapshot_filtered() {
    let app = app(Setup::default()).await;
    let viewer = token(&app, Role::Viewer).await;
    let (response, body) = get_bearer(&app, "/api/v1/containers", &viewer).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(json(&body)["error"].as_str().unwrap().contains("snapshot"));

    let snapshot = ContainersSnapshot {
        taken_at: "2026-11-30T12:00:00Z".into(),
        error: Some("Proxmox VE does not answer".into()),
        failing_since: Some("2026-11-30T12:00:05Z".into()),
        containers: vec![
            row(100, "web1", "running", &["berth", "web"]),
            row(101, "db1", "stopped", &["berth"]),
            row(102, "other", "running", &[]),
        ],
    };
    write_snapshot(&app, &snapshot).await;

    let names = |body: &str| -> Vec<String> {
        json(body)["containers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect()
    };
    let (response, body) = get_bearer(&app, "/api/v1/containers", &viewer).await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
    assert_eq!(names(&body), ["web1", "db1", "other"]);
    let all = json(&body);
    assert_eq!(all["taken_at"], "2026-11-30T12:00:00Z");
    assert_eq!(all["error"], "Proxmox VE does not answer");
    assert_eq!(all["failing_since"], "2026-11-30T12:00:05Z");
    assert_eq!(all["containers"][0]["maxdisk"], 8u64 << 30);

    let (_, body) = get_bearer(&app, "/api/v1/containers?tag=berth", &viewer).await;
    assert_eq!(names(&body), ["web1", "db1"]);
    let (_, body) = get_bearer(&app, "/api/v1/containers?tag=berth&status=running", &viewer).await;
    assert_eq!(names(&body), ["web1"]);
    let (_, body) = get_bearer(&app, "/api/v1/containers?status=paused", &viewer).await;
    assert!(names(&body).is_empty());

    let (response, body) = get_bearer(&app, "/api/v1/containers/101", &viewer).await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
    assert_eq!(json(&body)["name"], "db1");
    for missing in ["/api/v1/containers/999", "/api/v1/containers/web1"] {
        let (response, body) = get_bearer(&app, missing, &viewer).await;
        assert_eq!(
            response.status(),
            StatusCode::NOT_FOUND,
            "{missing}: {body}"
        );
        assert!(
            json(&body)["error"]
                .as_str()
                .unwrap()
                .contains("no container")
        );
    }

    let (response, _) = get_bearer(&app, "/api/v1/containers", "berth_pat_nope").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
