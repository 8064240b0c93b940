//! Fault injection through `/_sim/faults` (§ "Faults" of the README).

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn faults_endpoint_round_trips() {
    let sim = start().await;
    set_faults(&sim, json!({"latency_ms": 5, "offline_nodes": ["pve2"]})).await;
    let got: serde_json::Value = client(&sim)
        .get(format!("{}/faults", sim.admin_url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(got["latency_ms"], 5);
    assert_eq!(got["offline_nodes"], json!(["pve2"]));
    let r = client(&sim)
        .put(format!("{}/faults", sim.admin_url))
        .body("{\"nope\":1}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let cleared: serde_json::Value = client(&sim)
        .delete(format!("{}/faults", sim.admin_url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cleared["offline_nodes"], json!([]));
    sim.shutdown().await;
}

#[tokio::test]
async fn latency_per_prefix() {
    let sim = start().await;
    set_faults(
        &sim,
        json!({"latency_by_prefix": [{"prefix": "/nodes/pve1/lxc", "ms": 300}]}),
    )
    .await;
    let t = Instant::now();
    assert_eq!(get(&sim, "/nodes/pve1/lxc").await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
    sim.shutdown().await;
}

#[tokio::test]
async fn injected_server_errors() {
    let sim = start().await;
    set_faults(&sim, json!({"error_rate": 1.0, "error_status": 503})).await;
    let r = get(&sim, "/version").await;
    assert_eq!(r.status, 503);
    assert_eq!(r.reason, "simulated server error (fault injection)");
    sim.shutdown().await;
}

#[tokio::test]
async fn refusals_aim_at_one_path_prefix() {
    let sim = start().await;
    set_faults(
        &sim,
        json!({"refuse_prefixes": [{"prefix": "/nodes/pve1/lxc/7001/status", "status": 403}]}),
    )
    .await;
    let r = get(&sim, "/nodes/pve1/lxc/7001/status/current").await;
    assert_eq!(r.status, 403);
    assert_eq!(r.reason, "simulated refusal (fault injection)");
    assert_eq!(
        get(&sim, "/version").await.status,
        200,
        "other paths answer"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn hanging_calls_time_out_on_the_client() {
    let sim = start().await;
    set_faults(&sim, json!({"hang_prefixes": ["/version"]})).await;
    let c = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(
            reqwest::Certificate::from_pem(sim.ca_pem.as_ref().unwrap().as_bytes()).unwrap(),
        )
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = c
        .get(format!("{}/version", sim.base_url))
        .header("Authorization", sim.token(PROVISIONER).unwrap().header())
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    // Other paths still answer.
    assert_eq!(get(&sim, "/nodes").await.status, 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn failing_task_types() {
    let sim = start().await;
    set_faults(
        &sim,
        json!({"fail_tasks": {"vzcreate": "", "vzstart": "lxc-start failed"}}),
    )
    .await;
    assert_eq!(
        create_ct(&sim, "100").await,
        "unable to create CT 100 - simulated failure (fault injection)"
    );
    let log = call(
        &sim,
        PROVISIONER,
        Method::GET,
        "/nodes/pve1/tasks",
        &[("errors", "1")],
    )
    .await
    .data();
    let upid = log[0]["upid"].as_str().unwrap().to_string();
    let lines = call(
        &sim,
        PROVISIONER,
        Method::GET,
        &format!("/nodes/pve1/tasks/{upid}/log"),
        &[("limit", "0")],
    )
    .await
    .data();
    let last = lines.as_array().unwrap().last().unwrap()["t"].clone();
    assert_eq!(
        last,
        "TASK ERROR: unable to create CT 100 - simulated failure (fault injection)"
    );
    assert_eq!(
        get(&sim, "/nodes/pve1/lxc/100/config").await.status,
        500,
        "the failed create leaves nothing"
    );
    set_faults(&sim, json!({"fail_tasks": {"vzstart": "lxc-start failed"}})).await;
    assert_eq!(create_ct(&sim, "100").await, "OK");
    assert_eq!(
        run_task(&sim, "/nodes/pve1/lxc/100/status/start", &[]).await,
        "startup for container '100' failed: lxc-start failed"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn offline_node() {
    let sim = start().await;
    set_faults(&sim, json!({"offline_nodes": ["pve2"]})).await;
    let r = get(&sim, "/nodes/pve2/lxc").await;
    assert_eq!(
        (r.status.as_u16(), r.reason.as_str()),
        (595, "No route to host")
    );
    let nodes = get(&sim, "/nodes").await.data();
    let pve2 = nodes
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"] == "pve2")
        .unwrap();
    assert_eq!(pve2["status"], "offline");
    assert!(pve2.get("cpu").is_none());
    let res = call(
        &sim,
        PROVISIONER,
        Method::GET,
        "/cluster/resources",
        &[("type", "node")],
    )
    .await
    .data();
    let pve2 = res
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"] == "pve2")
        .unwrap();
    assert_eq!(pve2["status"], "offline");
    let storages = call(
        &sim,
        PROVISIONER,
        Method::GET,
        "/cluster/resources",
        &[("type", "storage")],
    )
    .await
    .data();
    assert!(
        storages
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["node"] == "pve1")
    );
    assert_eq!(get(&sim, "/nodes/pve1/lxc").await.status, 200);
    sim.shutdown().await;
}
