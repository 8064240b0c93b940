//! Config flocks and `lock:` properties (§6).

use reqwest::Method;
use serde_json::json;

use crate::common::*;

const TIMEOUT: &str = "can't lock file '/run/lock/lxc/pve-config-100.lock' - got timeout";

#[tokio::test]
async fn put_config_during_create_times_out_on_the_flock() {
    let mut options = fast_options();
    // The flock wait (1 simulated s) is shorter than the create task (~5 s) holding it. Slower
    // than the other tests' clock: the create must outlast the next three calls even on a busy
    // machine (here ~2 s of real time), or the test would race.
    options.time_scale = 0.4;
    options.seed.sim.lock_timeout_secs = 1.0;
    let sim = berth_pve_sim::spawn(options).await.unwrap();
    let upid = post(
        &sim,
        "/nodes/pve1/lxc",
        &[
            ("vmid", "100"),
            ("ostemplate", DEBIAN),
            ("rootfs", "local-lvm:2"),
        ],
    )
    .await
    .data();
    // A second create of the same id fails at once.
    let r = post(
        &sim,
        "/nodes/pve1/lxc",
        &[("vmid", "100"), ("ostemplate", DEBIAN)],
    )
    .await;
    assert_eq!(r.reason, "CT 100 already exists on node 'pve1'");
    let r = call(
        &sim,
        PROVISIONER,
        Method::PUT,
        "/nodes/pve1/lxc/100/config",
        &[("cores", "2")],
    )
    .await;
    assert_eq!((r.status.as_u16(), r.reason.as_str()), (500, TIMEOUT));
    // Destroy checks the lock property synchronously.
    let r = call(
        &sim,
        PROVISIONER,
        Method::DELETE,
        "/nodes/pve1/lxc/100",
        &[],
    )
    .await;
    assert_eq!(r.reason, "CT is locked (create)");
    // A start queued behind the create fails inside its task.
    let start = post(&sim, "/nodes/pve1/lxc/100/status/start", &[])
        .await
        .data();
    assert_eq!(
        wait_task(&sim, "pve1", start.as_str().unwrap()).await["exitstatus"],
        TIMEOUT
    );
    assert_eq!(
        wait_task(&sim, "pve1", upid.as_str().unwrap()).await["exitstatus"],
        "OK"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn lock_property_blocks_config_start_snapshot_and_destroy() {
    let sim = start().await;
    assert_eq!(create_ct(&sim, "100").await, "OK");
    let r = call(
        &sim,
        PROVISIONER,
        Method::PUT,
        "/nodes/pve1/lxc/100/config",
        &[("lock", "backup")],
    )
    .await;
    assert_eq!(r.data(), json!(null));
    let r = call(
        &sim,
        PROVISIONER,
        Method::PUT,
        "/nodes/pve1/lxc/100/config",
        &[("cores", "2")],
    )
    .await;
    assert_eq!(
        (r.status.as_u16(), r.reason.as_str()),
        (500, "CT is locked (backup)")
    );
    assert_eq!(
        run_task(&sim, "/nodes/pve1/lxc/100/status/start", &[]).await,
        "CT is locked (backup)"
    );
    assert_eq!(
        run_task(&sim, "/nodes/pve1/lxc/100/snapshot", &[("snapname", "s1")]).await,
        "CT is locked (backup)"
    );
    let r = call(
        &sim,
        PROVISIONER,
        Method::DELETE,
        "/nodes/pve1/lxc/100",
        &[],
    )
    .await;
    assert_eq!(r.reason, "CT is locked (backup)");
    let listed = get(&sim, "/nodes/pve1/lxc").await.data();
    assert_eq!(listed[0]["lock"], "backup");
    // skiplock is root-only.
    let r = post(
        &sim,
        "/nodes/pve1/lxc/100/status/start",
        &[("skiplock", "1")],
    )
    .await;
    assert_eq!(
        r.json()["errors"],
        json!({"skiplock": "Only root may use this option."})
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn lock_timeout_fault() {
    let sim = start().await;
    assert_eq!(create_ct(&sim, "100").await, "OK");
    set_faults(&sim, json!({"lock_timeout": true})).await;
    let r = call(
        &sim,
        PROVISIONER,
        Method::PUT,
        "/nodes/pve1/lxc/100/config",
        &[("cores", "2")],
    )
    .await;
    assert_eq!((r.status.as_u16(), r.reason.as_str()), (500, TIMEOUT));
    assert_eq!(
        run_task(&sim, "/nodes/pve1/lxc/100/status/start", &[]).await,
        TIMEOUT
    );
    set_faults(&sim, json!({})).await;
    assert_eq!(
        run_task(&sim, "/nodes/pve1/lxc/100/status/start", &[]).await,
        "OK"
    );
    sim.shutdown().await;
}
