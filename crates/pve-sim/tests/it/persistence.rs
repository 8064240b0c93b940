//! The state file keeps containers, snapshots and tasks across a restart.

use crate::common::*;

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mut options = fast_options();
    options.state_file = Some(path.clone());
    let sim = berth_pve_sim::spawn(options.clone()).await.unwrap();
    assert_eq!(create_ct(&sim, "100").await, "OK");
    assert_eq!(
        run_task(&sim, "/nodes/pve1/lxc/100/snapshot", &[("snapname", "s1")]).await,
        "OK"
    );
    assert_eq!(
        run_task(&sim, "/nodes/pve1/lxc/100/status/start", &[]).await,
        "OK"
    );
    let digest = get(&sim, "/nodes/pve1/lxc/100/config").await.data()["digest"].clone();
    sim.shutdown().await;
    assert!(path.exists());
    assert!(
        !path.with_extension("tmp").exists(),
        "the temporary file was renamed over"
    );

    let sim = berth_pve_sim::spawn(options).await.unwrap();
    let cfg = get(&sim, "/nodes/pve1/lxc/100/config").await.data();
    assert_eq!(cfg["digest"], digest);
    assert_eq!(
        get(&sim, "/nodes/pve1/lxc/100/status/current").await.data()["status"],
        "running"
    );
    let snaps = get(&sim, "/nodes/pve1/lxc/100/snapshot").await.data();
    assert_eq!(snaps[0]["name"], "s1");
    let tasks = get(&sim, "/nodes/pve1/tasks").await.json();
    assert!(tasks["total"].as_u64().unwrap() >= 3);
    assert_eq!(get(&sim, "/cluster/nextid").await.data(), "101");
    sim.shutdown().await;
}

#[tokio::test]
async fn certificate_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = fast_options();
    options.state_file = Some(dir.path().join("state.json"));
    let sim = berth_pve_sim::spawn(options.clone()).await.unwrap();
    let (fp, ca) = (sim.fingerprint.clone(), sim.ca_pem.clone());
    let port = sim.addr.port();
    sim.shutdown().await;
    // Same names (same listen address) → same certificate.
    options.listen = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let sim = berth_pve_sim::spawn(options).await.unwrap();
    assert_eq!(sim.fingerprint, fp);
    assert_eq!(sim.ca_pem, ca);
    assert_eq!(get(&sim, "/version").await.status, 200);
    sim.shutdown().await;
}
