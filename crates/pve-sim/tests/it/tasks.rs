//! Task behaviour: the separate vzstart of `start=1`, task-level errors and their cleanup.

use reqwest::Method;

use crate::common::*;

#[tokio::test]
async fn start_after_create_spawns_a_separate_vzstart_task() {
    let sim = start().await;
    let status = run_task(
        &sim,
        "/nodes/pve1/lxc",
        &[
            ("vmid", "101"),
            ("ostemplate", DEBIAN),
            ("rootfs", "local-lvm:2"),
            ("start", "1"),
        ],
    )
    .await;
    assert_eq!(status, "OK");
    for _ in 0..200 {
        if get(&sim, "/nodes/pve1/lxc/101/status/current").await.data()["status"] == "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let tasks = call(
        &sim,
        PROVISIONER,
        Method::GET,
        "/nodes/pve1/tasks",
        &[("typefilter", "vzstart"), ("source", "all")],
    )
    .await
    .data();
    assert_eq!(tasks.as_array().unwrap().len(), 1);
    assert_eq!(
        get(&sim, "/nodes/pve1/lxc").await.data()[0]["status"],
        "running"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn task_level_errors() {
    let sim = start().await;
    // A missing template fails inside the task, and the stub config is removed.
    let status = run_task(
        &sim,
        "/nodes/pve1/lxc",
        &[
            ("vmid", "102"),
            ("ostemplate", "local:vztmpl/missing.tar.zst"),
        ],
    )
    .await;
    assert_eq!(
        status,
        "unable to create CT 102 - can't find file 'local:vztmpl/missing.tar.zst'"
    );
    assert_eq!(get(&sim, "/nodes/pve1/lxc/102/config").await.status, 500);
    // Snapshots need a storage that can take them: raw on `dir` cannot.
    assert_eq!(
        run_task(
            &sim,
            "/nodes/pve1/lxc",
            &[("vmid", "103"), ("ostemplate", DEBIAN)]
        )
        .await,
        "OK"
    );
    assert_eq!(
        get(&sim, "/nodes/pve1/lxc/103/config").await.data()["rootfs"],
        "local:103/vm-103-disk-0.raw,size=4G"
    );
    assert_eq!(
        run_task(&sim, "/nodes/pve1/lxc/103/snapshot", &[("snapname", "s1")]).await,
        "snapshot feature is not available"
    );
    // A start of a missing CT only fails in the task.
    assert_eq!(
        run_task(&sim, "/nodes/pve1/lxc/555/status/start", &[]).await,
        "Configuration file 'nodes/pve1/lxc/555.conf' does not exist"
    );
    // Capacity: more than the storage has left.
    let status = run_task(
        &sim,
        "/nodes/pve1/lxc",
        &[
            ("vmid", "104"),
            ("ostemplate", DEBIAN),
            ("rootfs", "local-lvm:5000"),
        ],
    )
    .await;
    assert!(
        status
            .starts_with("unable to create CT 104 - not enough free space on storage 'local-lvm'"),
        "{status}"
    );
    sim.shutdown().await;
}
