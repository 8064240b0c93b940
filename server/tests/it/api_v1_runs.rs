//! Provisioning runs on the REST API: the list with its filter, one run with its stages (and
//! never its secrets), its events page by page, and the errors for bad input.

use crate::api_v1::{get_bearer, json, token_for};
use crate::support::{Setup, TestApp, app};
use axum::http::StatusCode;
use berth_db::audit::{NewAuditEntry, Outcome};
use berth_db::runs::{self, NewRun};
use berth_domain::Role;
use berth_domain::container::ContainerSpec;
use berth_domain::run::{RunEvent, RunState, Stage};

async fn viewer(app: &TestApp) -> String {
    let user = app
        .create_user("api-runs", Role::Viewer, "correct horse battery staple")
        .await;
    token_for(app, &user, Role::Viewer, None).await.1
}

/// A run of the built-in `debian-base` that got through two stages and failed in the third.
async fn failed_run(app: &TestApp) -> uuid::Uuid {
    let mut conn = app.pool.get().await.unwrap();
    berth_catalog::builtin::seed(&mut conn).await.unwrap();
    let (template, _, _) = berth_db::catalog::templates::version(&mut conn, "debian-base", 1)
        .await
        .unwrap();
    let mut spec = ContainerSpec::from_template(&template, 1);
    spec.identity.hostname = "api1".into();
    let run = NewRun {
        template_name: "debian-base",
        template_version: 1,
        hostname: "api1",
        spec: serde_json::to_value(&spec).unwrap(),
        secrets: serde_json::json!({"root_password_hash": "$6$never$shown"}),
        vmid: None,
        requested_by: None,
        requested_by_name: "Olga Operator",
    };
    let entry = NewAuditEntry::new("Olga Operator", "run.create", Outcome::Success);
    let id = runs::create(&mut conn, &run, entry).await.unwrap();
    let token = uuid::Uuid::new_v4();
    runs::claim(&mut conn, id, token, "w1")
        .await
        .unwrap()
        .unwrap();
    let events = [
        RunEvent::StageStarted {
            stage: Stage::ReserveVmid,
            attempt: 1,
        },
        RunEvent::StageFinished {
            stage: Stage::ReserveVmid,
            duration_ms: 12,
        },
        RunEvent::StageStarted {
            stage: Stage::CreateContainer,
            attempt: 1,
        },
        RunEvent::StageFinished {
            stage: Stage::CreateContainer,
            duration_ms: 2100,
        },
        RunEvent::StageStarted {
            stage: Stage::StartContainer,
            attempt: 1,
        },
        RunEvent::StageFailed {
            stage: Stage::StartContainer,
            duration_ms: 40,
            error: "lxc-start failed".into(),
            retrying: false,
        },
        RunEvent::State {
            state: RunState::Failed,
            message: Some("lxc-start failed".into()),
        },
    ];
    for event in &events {
        runs::append_event(&mut conn, id, Some(token), event)
            .await
            .unwrap();
    }
    runs::finish(
        &mut conn,
        id,
        token,
        RunState::Failed,
        Some("lxc-start failed"),
    )
    .await
    .unwrap();
    id
}

#[tokio::test]
async fn a_run_reads_with_its_stages_and_events() {
    let app = app(Setup::default()).await;
    let id = failed_run(&app).await;
    let token = viewer(&app).await;

    let (response, body) = get_bearer(&app, "/api/v1/runs?state=failed", &token).await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
    let listed = json(&body);
    assert_eq!(listed["runs"][0]["id"], id.to_string());
    assert_eq!(listed["runs"][0]["requested_by"], "Olga Operator");
    let (_, body) = get_bearer(&app, "/api/v1/runs?state=succeeded", &token).await;
    assert_eq!(json(&body)["runs"].as_array().unwrap().len(), 0);

    let (response, body) = get_bearer(&app, &format!("/api/v1/runs/{id}"), &token).await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
    assert!(
        !body.contains("never$shown") && !body.contains("secrets"),
        "{body}"
    );
    let run = json(&body);
    assert_eq!(run["state"], "failed");
    let states: Vec<&str> = run["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        [
            "done", "done", "failed", "pending", "pending", "pending", "pending", "pending",
            "pending"
        ]
    );
    assert_eq!(run["stages"][1]["duration_ms"], 2100);
    assert_eq!(run["stages"][2]["error"], "lxc-start failed");

    let (_, body) = get_bearer(&app, &format!("/api/v1/runs/{id}/events?limit=4"), &token).await;
    let page = json(&body);
    assert_eq!(page["events"].as_array().unwrap().len(), 4);
    assert_eq!(page["last_seq"], 4);
    assert_eq!(page["finished"], false);
    let (_, body) = get_bearer(&app, &format!("/api/v1/runs/{id}/events?after=4"), &token).await;
    let page = json(&body);
    let kinds: Vec<&str> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["stage_started", "stage_failed", "state"]);
    assert_eq!(page["finished"], true);
}

#[tokio::test]
async fn bad_input_is_named() {
    let app = app(Setup::default()).await;
    let token = viewer(&app).await;
    for (path, status, message) in [
        (
            "/api/v1/runs?state=done",
            StatusCode::BAD_REQUEST,
            "state: expected one of",
        ),
        (
            "/api/v1/runs?limit=0",
            StatusCode::BAD_REQUEST,
            "limit: expected a number",
        ),
        ("/api/v1/runs/not-a-uuid", StatusCode::NOT_FOUND, "no run"),
        (
            "/api/v1/runs/6c0d3cc4-8f1f-4b8e-9d1a-3d3f8f1f0a11",
            StatusCode::NOT_FOUND,
            "no such run",
        ),
        (
            "/api/v1/runs/6c0d3cc4-8f1f-4b8e-9d1a-3d3f8f1f0a11/events?after=-1",
            StatusCode::BAD_REQUEST,
            "after: expected a number",
        ),
    ] {
        let (response, body) = get_bearer(&app, path, &token).await;
        assert_eq!(response.status(), status, "{path}: {body}");
        assert!(
            json(&body)["error"].as_str().unwrap().contains(message),
            "{path}: {body}"
        );
    }
}
