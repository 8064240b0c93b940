//! Readiness against the Proxmox VE simulator: reported when it answers or not, never required.

use crate::support::{Setup, app};
use axum::http::StatusCode;
use berth_runtime::Secret;
use berth_runtime::config::{ProxmoxConfig, PveTls};
use berth_server::proxmox::{PveReadiness, client};
use std::sync::Arc;

async fn simulator() -> berth_pve_sim::RunningSim {
    berth_pve_sim::spawn(berth_pve_sim::SimOptions {
        time_scale: 0.02,
        ..berth_pve_sim::SimOptions::with_default_seed()
    })
    .await
    .unwrap()
}

/// Berth's configuration for the simulator, as an operator would write it (URL without the
/// `/api2/json` suffix, the least-privilege token, the pinned certificate).
fn config(sim: &berth_pve_sim::RunningSim, token_id: &str) -> ProxmoxConfig {
    let token = sim.token(token_id).unwrap();
    ProxmoxConfig {
        url: sim.base_url.trim_end_matches("/api2/json").to_string(),
        token: Secret::new(format!("{}={}", token.full_id, token.secret)),
        tls: PveTls::Fingerprint(sim.fingerprint.clone().unwrap()),
    }
}

async fn ready_json(setup: Setup) -> (StatusCode, serde_json::Value) {
    let app = app(setup).await;
    app.register_worker().await;
    let (response, body) = app.get("/api/ready").await;
    (response.status(), serde_json::from_str(&body).unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reachable_proxmox_is_up_with_its_version() {
    let sim = simulator().await;
    let pve = client(&config(&sim, "berth@pve!provisioner")).unwrap();
    let (status, body) = ready_json(Setup {
        proxmox: Some(Arc::new(PveReadiness(pve))),
        ..Setup::default()
    })
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["checks"]["proxmox"]["status"], "up", "{body}");
    assert_eq!(body["checks"]["proxmox"]["essential"], false);
    let detail = body["checks"]["proxmox"]["detail"].as_str().unwrap();
    assert!(detail.starts_with("PVE 9."), "{detail}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_proxmox_is_down_but_berth_stays_ready() {
    let sim = simulator().await;
    let faults = reqwest::Client::builder()
        .add_root_certificate(
            reqwest::Certificate::from_pem(sim.ca_pem.as_deref().unwrap().as_bytes()).unwrap(),
        )
        .build()
        .unwrap();
    let put = faults
        .put(format!("{}/faults", sim.admin_url))
        .json(&serde_json::json!({ "error_rate": 1.0, "error_status": 503 }))
        .send()
        .await
        .unwrap();
    assert!(put.status().is_success(), "{put:?}");

    let pve = client(&config(&sim, "berth@pve!provisioner")).unwrap();
    let (status, body) = ready_json(Setup {
        proxmox: Some(Arc::new(PveReadiness(pve))),
        ..Setup::default()
    })
    .await;
    assert_eq!(status, StatusCode::OK, "Proxmox is not essential: {body}");
    assert_eq!(body["checks"]["proxmox"]["status"], "down", "{body}");
    let error = body["checks"]["proxmox"]["error"].as_str().unwrap();
    assert!(error.contains("503"), "{error}");
    assert!(!error.contains("5b0e5a3c"), "no token in errors: {error}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_pin_is_reported_as_a_certificate_problem() {
    let sim = simulator().await;
    let mut wrong = config(&sim, "berth@pve!provisioner");
    wrong.tls = PveTls::Fingerprint("AB:".repeat(31) + "AB");
    let (status, body) = ready_json(Setup {
        proxmox: Some(Arc::new(PveReadiness(client(&wrong).unwrap()))),
        ..Setup::default()
    })
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["checks"]["proxmox"]["status"], "down");
    let error = body["checks"]["proxmox"]["error"]
        .as_str()
        .unwrap()
        .to_lowercase();
    assert!(error.contains("fingerprint"), "{error}");
    sim.shutdown().await;
}
