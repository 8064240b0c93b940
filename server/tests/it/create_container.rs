//! The wizard's `create_container` and the run server functions, against real Postgres and
//! Redis: a valid spec becomes a queued run with its audit entry and job; a refused one writes
//! nothing and names the field; the root password is kept only as a SHA-512 crypt hash.

use crate::support::{Setup, TestApp, app, sim_proxmox};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use berth_db::audit::{self, AuditFilter};
use berth_db::runs::{self, RunFilter};
use berth_db::{Page, catalog::templates};
use berth_domain::Role;
use berth_domain::container::{ContainerSpec, NodeChoice, Secret, VmidChoice};
use berth_domain::template::{Ipv4Mode, StaticAddress};
use berth_jobs::JobState;

const PASSWORD: &str = "plain-root-password-42";
const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOu7SxNCennoz7HiEI3gd08nVrW16fWLhGpFa8MGnHd6 op@laptop";

pub async fn call(
    app: &TestApp,
    cookie: &str,
    endpoint: &str,
    body: String,
) -> (StatusCode, String) {
    let request = Request::post(format!("/api/fn/{endpoint}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    let (response, body) = app.send(request).await;
    (response.status(), body)
}

pub async fn create(app: &TestApp, cookie: &str, spec: &ContainerSpec) -> (StatusCode, String) {
    let body = serde_json::json!({ "spec": spec }).to_string();
    call(app, cookie, "containers/create", body).await
}

/// The built-in `debian-base` template, seeded, and a spec for it an operator would send.
pub async fn valid_spec(app: &TestApp) -> ContainerSpec {
    let mut conn = app.pool.get().await.unwrap();
    berth_catalog::builtin::seed(&mut conn).await.unwrap();
    let detail = templates::detail(&mut conn, "debian-base").await.unwrap();
    let mut spec = ContainerSpec::from_template(&detail.spec, detail.current.version);
    spec.identity.hostname = "web1".into();
    spec.storage.rootfs.storage = "local-lvm".into();
    spec.access.ssh_keys = vec![KEY.into()];
    spec.access.root_password = Some(Secret::new(PASSWORD));
    spec
}

pub async fn audited(app: &TestApp, action: &str) -> Vec<audit::AuditEntry> {
    let mut conn = app.pool.get().await.unwrap();
    let filter = AuditFilter {
        action: Some(action.into()),
        ..AuditFilter::default()
    };
    audit::list(&mut conn, &filter, Page::default())
        .await
        .unwrap()
        .entries
}

async fn all_runs(app: &TestApp) -> Vec<berth_domain::run::RunSummary> {
    let mut conn = app.pool.get().await.unwrap();
    runs::list(&mut conn, &RunFilter::default()).await.unwrap()
}

fn problem_paths(body: &str) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    json["Problems"]
        .as_array()
        .unwrap_or_else(|| panic!("not a list of problems: {body}"))
        .iter()
        .map(|p| p["path"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_valid_spec_queues_a_run_with_its_audit_entry_and_job() {
    let app = app(Setup::default()).await;
    let cookie = app.sign_in_as(Role::Operator).await;
    let spec = valid_spec(&app).await;
    let (status, body) = create(&app, &cookie, &spec).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id: String = serde_json::from_str(&body).unwrap();
    let run_id = uuid::Uuid::parse_str(&id).unwrap();

    let mut conn = app.pool.get().await.unwrap();
    let record = runs::get(&mut conn, run_id).await.unwrap();
    assert_eq!(record.summary.state, berth_domain::run::RunState::Queued);
    assert_eq!(record.summary.template_name, "debian-base");
    assert_eq!(record.summary.hostname, "web1");
    assert!(record.summary.requested_by.starts_with("operator-"));

    let hash = record.secrets["root_password_hash"].as_str().unwrap();
    assert!(hash.starts_with("$6$"), "{hash}");
    let kept: ContainerSpec = serde_json::from_value(record.spec.clone()).unwrap();
    assert!(kept.access.root_password.is_none());
    assert_eq!(kept.access.ssh_keys, vec![KEY.to_string()]);

    let entries = audited(&app, "container.create").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].correlation_id.as_deref(), Some(id.as_str()));
    assert_eq!(entries[0].details["access"]["root_password_set"], true);

    assert_eq!(
        app.queue.state(run_id).await.unwrap(),
        Some(JobState::Ready)
    );

    // The run's page data and its events say nothing of the password either.
    let (status, body) = call(&app, &cookie, "runs/get", format!("id={id}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let view: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(view["stages"].as_array().unwrap().len(), 9);
    assert_eq!(view["can_cancel"], true);
    let everything = format!(
        "{} {} {:?} {body}",
        record.spec,
        serde_json::to_string(&entries).unwrap(),
        runs::events_after(&mut conn, run_id, 0, 100).await.unwrap()
    );
    assert!(!everything.contains(PASSWORD));
}

#[tokio::test]
async fn refused_specs_write_nothing_and_name_the_field() {
    let app = app(Setup::default()).await;
    let cookie = app.sign_in_as(Role::Operator).await;
    let good = valid_spec(&app).await;

    let mut bad_name = good.clone();
    bad_name.identity.hostname = "bad_name!".into();
    let (status, body) = create(&app, &cookie, &bad_name).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(problem_paths(&body), ["identity.hostname"]);

    let mut outside = good.clone();
    outside.network.ipv4 = Ipv4Mode::Static(StaticAddress {
        address: "10.0.0.5/24".into(),
        gateway: Some("10.9.9.1".into()),
    });
    let (status, body) = create(&app, &cookie, &outside).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(problem_paths(&body), ["network.ipv4.gateway"]);

    let mut pattern = good.clone();
    pattern.inputs.set("owner_team", "!!");
    let (status, body) = create(&app, &cookie, &pattern).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(problem_paths(&body), ["inputs.owner_team"]);

    assert!(all_runs(&app).await.is_empty());
    assert!(audited(&app, "container.create").await.is_empty());
    assert_eq!(app.queue.live_jobs().await.unwrap(), 0);
    assert!(!body.contains(PASSWORD));
}

#[tokio::test]
async fn a_vmid_reserved_by_an_unfinished_run_is_refused_at_its_field() {
    let app = app(Setup::default()).await;
    let cookie = app.sign_in_as(Role::Operator).await;
    let mut spec = valid_spec(&app).await;
    spec.identity.vmid = VmidChoice::Chosen(4242);
    let (status, body) = create(&app, &cookie, &spec).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    spec.identity.hostname = "web2".into();
    let (status, body) = create(&app, &cookie, &spec).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(problem_paths(&body), ["identity.vmid"]);
    assert!(body.contains("4242"), "{body}");
    assert_eq!(all_runs(&app).await.len(), 1);
    assert_eq!(audited(&app, "container.create").await.len(), 1);
    assert_eq!(app.queue.live_jobs().await.unwrap(), 1);
}

#[tokio::test]
async fn viewers_may_not_create_and_are_told_why() {
    let app = app(Setup::default()).await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let spec = valid_spec(&app).await;
    let (status, body) = create(&app, &cookie, &spec).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(
        body.contains("You need the operator role to create containers"),
        "{body}"
    );
    assert!(all_runs(&app).await.is_empty());
    let (status, _) = create(&app, "", &spec).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_queued_run_is_cancelled_at_once_and_the_queue_is_told() {
    let app = app(Setup::default()).await;
    let owner = app.sign_in_as(Role::Operator).await;
    let (_, body) = create(&app, &owner, &valid_spec(&app).await).await;
    let id: String = serde_json::from_str(&body).unwrap();
    let run_id = uuid::Uuid::parse_str(&id).unwrap();

    let other = app.sign_in_as(Role::Operator).await;
    let form = format!("id={id}");
    let (status, body) = call(&app, &other, "runs/cancel", form.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    let (status, body) = call(&app, &owner, "runs/cancel", form.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut conn = app.pool.get().await.unwrap();
    let record = runs::get(&mut conn, run_id).await.unwrap();
    assert_eq!(record.summary.state, berth_domain::run::RunState::Cancelled);
    assert!(app.queue.cancel_requested(run_id).await.unwrap());
    assert_eq!(audited(&app, "container.cancel").await.len(), 1);

    let (status, body) = call(&app, &owner, "runs/events", format!("id={id}&after_seq=0")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Cancel requested by operator-"), "{body}");
    assert!(body.contains("\"cancelled\""), "{body}");

    let (status, body) = call(&app, &owner, "runs/cancel", form).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

#[tokio::test]
async fn the_jobs_list_filters_by_state() {
    let app = app(Setup::default()).await;
    let cookie = app.sign_in_as(Role::Operator).await;
    let (status, _) = create(&app, &cookie, &valid_spec(&app).await).await;
    assert_eq!(status, StatusCode::OK);
    let viewer = app.sign_in_as(Role::Viewer).await;
    let list = |state: &str| format!("state={state}");
    let (status, body) = call(&app, &viewer, "runs/list", list("queued")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        serde_json::from_str::<Vec<serde_json::Value>>(&body)
            .unwrap()
            .len(),
        1
    );
    let (_, body) = call(&app, &viewer, "runs/list", list("failed")).await;
    assert_eq!(body, "[]");
    let (status, body) = call(&app, &viewer, "runs/list", list("done")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn proxmox_says_whether_the_node_and_the_storage_can_take_it() {
    let sim = berth_pve_sim::spawn(berth_pve_sim::SimOptions::with_default_seed())
        .await
        .unwrap();
    let pve = berth_server::proxmox::client(&sim_proxmox(&sim)).unwrap();
    let app = app(Setup {
        pve: Some(pve),
        ..Setup::default()
    })
    .await;
    let cookie = app.sign_in_as(Role::Operator).await;
    let mut spec = valid_spec(&app).await;

    spec.storage.rootfs.size_gib = 100_000;
    let (status, body) = create(&app, &cookie, &spec).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(problem_paths(&body), ["storage.rootfs.storage"]);
    assert!(body.contains("GiB free"), "{body}");

    spec.storage.rootfs.size_gib = 8;
    spec.identity.node = NodeChoice::Named("pve9".into());
    let (status, body) = create(&app, &cookie, &spec).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(problem_paths(&body), ["identity.node"]);

    spec.identity.node = NodeChoice::Named("pve2".into());
    let (status, body) = create(&app, &cookie, &spec).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(all_runs(&app).await.len() == 1);
    sim.shutdown().await;
}
