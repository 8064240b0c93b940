//! The envelope, headers, reason phrases and parameter handling of §1 and §3.

use reqwest::Method;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn success_envelope_and_headers() {
    let sim = start().await;
    let r = get(&sim, "/version").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.headers["server"], "pve-api-daemon/3.0");
    assert_eq!(r.headers["content-type"], "application/json;charset=UTF-8");
    assert_eq!(r.headers["cache-control"], "max-age=0");
    assert_eq!(r.headers["pragma"], "no-cache");
    assert!(r.headers.contains_key("expires"));
    assert_eq!(
        r.json(),
        json!({"data": {"version": "9.2.11", "release": "9.2", "repoid": "14a22df35955d97d"}})
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn unknown_method_is_501_with_reason() {
    let sim = start().await;
    let r = get(&sim, "/nodes/pve/foo").await;
    assert_eq!(r.status, 501);
    assert_eq!(r.reason, "Method 'GET /nodes/pve/foo' not implemented");
    assert_eq!(
        r.json(),
        json!({"data": null, "message": "Method 'GET /nodes/pve/foo' not implemented"})
    );
    assert_eq!(r.headers["connection"], "close");
    sim.shutdown().await;
}

#[tokio::test]
async fn body_on_get_or_delete_is_501() {
    let sim = start().await;
    let header = sim.token(PROVISIONER).unwrap().header();
    for method in [Method::GET, Method::DELETE] {
        let resp = client(&sim)
            .request(
                method.clone(),
                format!("{}/nodes/pve1/lxc/100", sim.base_url),
            )
            .header("Authorization", &header)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("purge=1")
            .send()
            .await
            .unwrap();
        let r = finish(resp).await;
        assert_eq!(r.status, 501);
        assert_eq!(
            r.reason,
            format!("Unexpected content for method '{method}'")
        );
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn conflicting_uri_parameter_is_400() {
    let sim = start().await;
    let r = call(
        &sim,
        PROVISIONER,
        Method::GET,
        "/nodes/pve1/lxc",
        &[("node", "pve2")],
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.reason, "Parameter verification failed.");
    assert_eq!(
        r.json()["errors"],
        json!({"node": "duplicate parameter (already defined in URI) with conflicting values!"})
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn json_bodies_and_query_merging() {
    let sim = start().await;
    let header = sim.token(PROVISIONER).unwrap().header();
    // JSON bodies may carry real booleans; the query string is merged over the body.
    let resp = client(&sim)
        .post(format!("{}/nodes/pve1/lxc?vmid=150", sim.base_url))
        .header("Authorization", &header)
        .json(&json!({"vmid": 149, "ostemplate": DEBIAN, "unprivileged": true, "rootfs": "local-lvm:2"}))
        .send()
        .await
        .unwrap();
    let upid = finish(resp).await.data();
    assert!(upid.as_str().unwrap().contains(":vzcreate:150:"), "{upid}");
    sim.shutdown().await;
}

#[tokio::test]
async fn nextid_is_a_string_and_taken_ids_are_400() {
    let sim = start().await;
    assert_eq!(get(&sim, "/cluster/nextid").await.data(), json!("100"));
    assert_eq!(create_ct(&sim, "100").await, "OK");
    assert_eq!(get(&sim, "/cluster/nextid").await.data(), json!("101"));
    let r = call(
        &sim,
        PROVISIONER,
        Method::GET,
        "/cluster/nextid",
        &[("vmid", "100")],
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["errors"], json!({"vmid": "VM 100 already exists"}));
    sim.shutdown().await;
}

#[tokio::test]
async fn nodes_storage_and_templates() {
    let sim = start().await;
    let nodes = get(&sim, "/nodes").await.data();
    let names: Vec<&str> = nodes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["node"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["pve1", "pve2"]);
    assert_eq!(
        nodes[0]["ssl_fingerprint"].as_str(),
        sim.fingerprint.as_deref()
    );
    assert_eq!(nodes[0]["status"], "online");
    let status = get(&sim, "/nodes/pve1/status").await.data();
    assert!(status["loadavg"][0].is_string());
    assert!(
        status["pveversion"]
            .as_str()
            .unwrap()
            .starts_with("pve-manager/9.2.11/")
    );
    let storages = get(&sim, "/nodes/pve1/storage").await.data();
    assert_eq!(storages.as_array().unwrap().len(), 2);
    let content = call(
        &sim,
        PROVISIONER,
        Method::GET,
        "/nodes/pve1/storage/local/content",
        &[("content", "vztmpl")],
    )
    .await
    .data();
    let debian = content
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["volid"] == DEBIAN)
        .unwrap();
    assert_eq!(debian["format"], "tzst");
    assert!(
        get(&sim, "/nodes/pve1/aplinfo")
            .await
            .data()
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["template"] == "debian-13-standard_13.1-2_amd64.tar.zst")
    );
    let status = run_task(
        &sim,
        "/nodes/pve1/aplinfo",
        &[
            ("storage", "local"),
            ("template", "debian-13-standard_13.1-2_amd64.tar.zst"),
        ],
    )
    .await;
    assert_eq!(status, "OK");
    let r = post(
        &sim,
        "/nodes/pve1/aplinfo",
        &[("storage", "local"), ("template", "nope.tar.zst")],
    )
    .await;
    assert_eq!(r.json()["errors"], json!({"template": "no such template"}));
    let r = get(&sim, "/nodes/nowhere/status").await;
    assert_eq!(r.status, 500);
    assert!(
        r.reason.starts_with("hostname lookup 'nowhere' failed"),
        "{}",
        r.reason
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn cluster_resources_lag_behind_the_truth() {
    let mut options = fast_options();
    // 1 s at this scale: wide enough that creating the CT and the first read both fall before
    // the first refresh even on a busy machine.
    options.seed.sim.stats_interval_secs = 100.0;
    let sim = berth_pve_sim::spawn(options).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(create_ct(&sim, "100").await, "OK");
    let vms = call(
        &sim,
        PROVISIONER,
        Method::GET,
        "/cluster/resources",
        &[("type", "vm")],
    )
    .await
    .data();
    assert_eq!(
        vms[0]["status"], "unknown",
        "a brand-new guest has no stats yet: {vms}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let vms = call(
        &sim,
        PROVISIONER,
        Method::GET,
        "/cluster/resources",
        &[("type", "vm")],
    )
    .await
    .data();
    assert_eq!(vms[0]["status"], "stopped");
    assert_eq!(vms[0]["id"], "lxc/100");
    sim.shutdown().await;
}
