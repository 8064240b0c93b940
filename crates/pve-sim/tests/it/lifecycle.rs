//! A container's whole life: create → start → status → interfaces → config → snapshot →
//! rollback → stop → destroy, with tasks, logs and UPIDs checked on the way.

use reqwest::Method;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn create_start_snapshot_stop_destroy() {
    let sim = start().await;
    let upid = post(
        &sim,
        "/nodes/pve1/lxc",
        &[
            ("vmid", "100"),
            ("ostemplate", DEBIAN),
            ("rootfs", "local-lvm:8"),
            ("unprivileged", "1"),
            ("hostname", "web-1"),
            ("memory", "1024"),
            ("tags", "Web;prod,a b"),
            (
                "net0",
                "name=eth0,bridge=vmbr0,ip=10.0.0.5/24,gw=10.0.0.1,firewall=yes",
            ),
        ],
    )
    .await
    .data();
    let upid = upid.as_str().unwrap().to_string();
    let re = regex::Regex::new(
        r"^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:vzcreate:100:berth@pve!provisioner:$",
    )
    .unwrap();
    assert!(re.is_match(&upid), "{upid}");

    // While the task runs the config is locked.
    let cfg = get(&sim, "/nodes/pve1/lxc/100/config").await.data();
    assert_eq!(cfg["lock"], "create");
    let st = wait_task(&sim, "pve1", &upid).await;
    assert_eq!(st["exitstatus"], "OK");
    assert_eq!(st["user"], "berth@pve");
    assert_eq!(st["tokenid"], "provisioner");
    assert_eq!(st["type"], "vzcreate");

    let log = call(
        &sim,
        PROVISIONER,
        Method::GET,
        &format!("/nodes/pve1/tasks/{upid}/log"),
        &[("start", "2"), ("limit", "2")],
    )
    .await;
    let body = log.json();
    assert_eq!(body["data"][0]["n"], 3);
    assert_eq!(body["data"].as_array().unwrap().len(), 2);
    let total = body["total"].as_u64().unwrap();
    let all = call(
        &sim,
        PROVISIONER,
        Method::GET,
        &format!("/nodes/pve1/tasks/{upid}/log"),
        &[("limit", "0")],
    )
    .await
    .json();
    assert_eq!(all["data"].as_array().unwrap().len() as u64, total);
    assert_eq!(all["data"][total as usize - 1]["t"], "TASK OK");
    assert!(
        all["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["t"].as_str().unwrap().starts_with("extracting archive"))
    );

    let cfg = get(&sim, "/nodes/pve1/lxc/100/config").await.data();
    assert_eq!(cfg["rootfs"], "local-lvm:vm-100-disk-0,size=8G");
    assert_eq!(cfg["memory"], 1024);
    assert_eq!(cfg["unprivileged"], 1);
    assert_eq!(cfg["tags"], "a;b;prod;web");
    assert_eq!(cfg["ostype"], "debian");
    assert!(cfg.get("lock").is_none());
    let net0 = cfg["net0"].as_str().unwrap();
    assert!(
        net0.starts_with("name=eth0,bridge=vmbr0,firewall=1,gw=10.0.0.1,hwaddr=BC:24:11:"),
        "{net0}"
    );
    assert!(net0.ends_with(",ip=10.0.0.5/24,type=veth"), "{net0}");
    assert_eq!(cfg["digest"].as_str().unwrap().len(), 40);

    // Interfaces are null until the CT runs.
    assert_eq!(
        get(&sim, "/nodes/pve1/lxc/100/interfaces").await.data(),
        json!(null)
    );
    assert_eq!(
        run_task(&sim, "/nodes/pve1/lxc/100/status/start", &[]).await,
        "OK"
    );
    let r = post(&sim, "/nodes/pve1/lxc/100/status/start", &[]).await;
    assert_eq!(
        (r.status.as_u16(), r.reason.as_str()),
        (500, "CT 100 already running")
    );
    let cur = get(&sim, "/nodes/pve1/lxc/100/status/current").await.data();
    assert_eq!(cur["status"], "running");
    assert_eq!(cur["name"], "web-1");
    assert_eq!(cur["maxmem"], 1024u64 << 20);
    assert_eq!(cur["ha"], json!({"managed": 0}));
    let ifaces = get(&sim, "/nodes/pve1/lxc/100/interfaces").await.data();
    let eth0 = ifaces
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "eth0")
        .unwrap();
    assert_eq!(eth0["inet"], "10.0.0.5/24");
    assert!(eth0["hwaddr"].as_str().unwrap().starts_with("bc:24:11:"));
    assert!(ifaces.as_array().unwrap().iter().any(|i| i["name"] == "lo"));

    // Config changes on a running CT: hostname at once, net0 hot-plugged, ostype pending.
    let r = call(
        &sim,
        PROVISIONER,
        Method::PUT,
        "/nodes/pve1/lxc/100/config",
        &[("hostname", "web-2"), ("ostype", "ubuntu")],
    )
    .await;
    assert_eq!(r.data(), json!(null));
    let current = call(
        &sim,
        PROVISIONER,
        Method::GET,
        "/nodes/pve1/lxc/100/config",
        &[("current", "1")],
    )
    .await
    .data();
    assert_eq!(
        (current["hostname"].as_str(), current["ostype"].as_str()),
        (Some("web-2"), Some("debian"))
    );
    assert_eq!(
        get(&sim, "/nodes/pve1/lxc/100/config").await.data()["ostype"],
        "ubuntu"
    );
    let r = call(
        &sim,
        PROVISIONER,
        Method::PUT,
        "/nodes/pve1/lxc/100/config",
        &[("digest", "0000"), ("cores", "2")],
    )
    .await;
    assert_eq!(
        r.reason,
        "detected modified configuration - file changed by other user? Try again."
    );
    let r = call(
        &sim,
        PROVISIONER,
        Method::PUT,
        "/nodes/pve1/lxc/100/config",
        &[("delete", "memory")],
    )
    .await;
    assert_eq!(r.reason, "unable to delete required option 'memory'");
    let r = call(
        &sim,
        PROVISIONER,
        Method::PUT,
        "/nodes/pve1/lxc/100/config",
        &[],
    )
    .await;
    assert_eq!(r.reason, "no options specified");

    assert_eq!(
        run_task(
            &sim,
            "/nodes/pve1/lxc/100/snapshot",
            &[("snapname", "before-upgrade"), ("description", "clean")]
        )
        .await,
        "OK"
    );
    let snaps = get(&sim, "/nodes/pve1/lxc/100/snapshot").await.data();
    assert_eq!(snaps[0]["name"], "before-upgrade");
    assert_eq!(snaps[1]["name"], "current");
    assert_eq!(snaps[1]["parent"], "before-upgrade");
    assert_eq!(snaps[1]["running"], 1);
    let r = post(
        &sim,
        "/nodes/pve1/lxc/100/snapshot",
        &[("snapname", "current")],
    )
    .await;
    assert_eq!(
        r.reason,
        "unable to use snapshot name 'current' (reserved name)"
    );
    assert_eq!(
        run_task(
            &sim,
            "/nodes/pve1/lxc/100/snapshot",
            &[("snapname", "before-upgrade")]
        )
        .await,
        "snapshot name 'before-upgrade' already used"
    );

    // Rollback stops the CT and restores the snapshot's config; pending changes are dropped.
    let r = call(
        &sim,
        PROVISIONER,
        Method::PUT,
        "/nodes/pve1/lxc/100/config",
        &[("hostname", "web-3")],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        run_task(
            &sim,
            "/nodes/pve1/lxc/100/snapshot/before-upgrade/rollback",
            &[]
        )
        .await,
        "OK"
    );
    let cur = get(&sim, "/nodes/pve1/lxc/100/status/current").await.data();
    assert_eq!(cur["status"], "stopped");
    let cfg = get(&sim, "/nodes/pve1/lxc/100/config").await.data();
    assert_eq!(
        (cfg["hostname"].as_str(), cfg["ostype"].as_str()),
        (Some("web-2"), Some("debian"))
    );
    let r = post(&sim, "/nodes/pve1/lxc/100/status/stop", &[]).await;
    assert_eq!(r.reason, "CT 100 not running");
    let r = post(&sim, "/nodes/pve1/lxc/100/status/reboot", &[]).await;
    assert_eq!(r.reason, "VM 100 not running");

    assert_eq!(
        run_task(&sim, "/nodes/pve1/lxc/100/status/start", &[]).await,
        "OK"
    );
    assert_eq!(
        run_task(&sim, "/nodes/pve1/lxc/100/status/reboot", &[]).await,
        "OK"
    );
    assert_eq!(
        run_task(
            &sim,
            "/nodes/pve1/lxc/100/status/shutdown",
            &[("timeout", "30")]
        )
        .await,
        "OK"
    );
    assert_eq!(
        run_task(&sim, "/nodes/pve1/lxc/100/status/start", &[]).await,
        "OK"
    );
    let r = call(
        &sim,
        PROVISIONER,
        Method::DELETE,
        "/nodes/pve1/lxc/100",
        &[],
    )
    .await;
    assert_eq!(r.reason, "unable to destroy CT 100 - container is running");
    assert_eq!(
        run_task(&sim, "/nodes/pve1/lxc/100/status/stop", &[]).await,
        "OK"
    );
    let del = call(
        &sim,
        PROVISIONER,
        Method::DELETE,
        "/nodes/pve1/lxc/100/snapshot/before-upgrade",
        &[],
    )
    .await
    .data();
    assert_eq!(
        wait_task(&sim, "pve1", del.as_str().unwrap()).await["exitstatus"],
        "OK"
    );

    let upid = call(
        &sim,
        PROVISIONER,
        Method::DELETE,
        "/nodes/pve1/lxc/100",
        &[("purge", "1"), ("destroy-unreferenced-disks", "1")],
    )
    .await
    .data();
    assert_eq!(
        wait_task(&sim, "pve1", upid.as_str().unwrap()).await["exitstatus"],
        "OK"
    );
    let r = get(&sim, "/nodes/pve1/lxc/100/config").await;
    assert_eq!(
        (r.status.as_u16(), r.reason.as_str()),
        (
            500,
            "Configuration file 'nodes/pve1/lxc/100.conf' does not exist"
        )
    );
    assert_eq!(get(&sim, "/nodes/pve1/lxc").await.data(), json!([]));

    let tasks = get(&sim, "/nodes/pve1/tasks").await.json();
    assert!(tasks["total"].as_u64().unwrap() >= 10);
    let types: Vec<&str> = tasks["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["type"].as_str().unwrap())
        .collect();
    assert_eq!(types[0], "vzdestroy", "newest first: {types:?}");
    sim.shutdown().await;
}
