//! A container's whole life against the simulator with the least-privilege token: create →
//! config → start → interfaces → snapshots → shutdown/reboot/stop → rrddata → destroy.

use crate::backend::Backend;
use crate::sim::{NODE, Sim, TASK_DEADLINE, api_err};
use berth_pve::types::{
    DeleteLxc, GuestStatus, LxcConfigUpdate, LxcOptions, ResourceType, RrdTimeframe,
};
use berth_pve::{ApiErrorKind, PveClient, Retry, Upid};

async fn run(client: &PveClient, upid: Result<Upid, berth_pve::Error>, kind: &str) {
    let upid = upid.unwrap();
    assert_eq!(upid.worker_type(), kind, "{upid}");
    let status = client.wait_task(&upid, TASK_DEADLINE).await.unwrap();
    assert_eq!(status.exitstatus.as_deref(), Some("OK"), "{status:?}");
}

async fn status(client: &PveClient, vmid: u32) -> GuestStatus {
    client.lxc_status(NODE, vmid).await.unwrap().status
}

#[tokio::test]
async fn sim_container_lifecycle_with_token() {
    let sim = Sim::start().await;
    let c = sim.client();

    let vmid = c.cluster_nextid(None).await.unwrap();
    assert_eq!(c.cluster_nextid(Some(vmid)).await.unwrap(), vmid);
    let upid = c
        .create_lxc(NODE, &crate::sim::ct_request(vmid))
        .await
        .unwrap();
    assert_eq!(upid.user(), "berth@pve!provisioner");
    // The stub config is locked until the task is done.
    let listed = c.lxc_list(NODE).await.unwrap();
    let ct = listed.iter().find(|ct| ct.vmid == vmid).unwrap();
    assert_eq!(ct.lock.as_deref(), Some("create"));
    let done = c.wait_task(&upid, TASK_DEADLINE).await.unwrap();
    assert_eq!(done.tokenid.as_deref(), Some("provisioner"));
    assert_eq!(done.user, "berth@pve");

    // The id is taken now: 400 with the `vmid` error (PVE-API.md §4.5).
    let e = api_err(c.cluster_nextid(Some(vmid)).await);
    assert_eq!(e.kind(), ApiErrorKind::BadRequest);
    assert_eq!(e.errors["vmid"], format!("VM {vmid} already exists"));

    // A brand-new guest is `unknown` in /cluster/resources until the next broadcast.
    let res = c.cluster_resources(Some(ResourceType::Vm)).await.unwrap();
    assert!(res.iter().any(|r| r.vmid == Some(vmid)), "{res:?}");

    let cfg = c.lxc_config(NODE, vmid, false).await.unwrap();
    assert_eq!(cfg.hostname.as_deref(), Some(format!("ct{vmid}").as_str()));
    assert_eq!(
        cfg.rootfs.as_deref(),
        Some(format!("local-lvm:vm-{vmid}-disk-0,size=4G").as_str())
    );
    assert!(cfg.unprivileged && cfg.lock.is_none());
    assert_eq!(cfg.memory, Some(256));
    let net0 = cfg.nets()[&0].to_owned();
    assert!(
        net0.starts_with("name=eth0,bridge=vmbr0,hwaddr=BC:24:11:"),
        "{net0}"
    );
    assert!(net0.ends_with(",ip=dhcp,type=veth"), "{net0}");

    let update = LxcConfigUpdate {
        set: LxcOptions {
            cores: Some(2),
            description: Some("made by berth-pve".into()),
            tags: Some("Web;prod".into()),
            ..LxcOptions::default()
        },
        delete: vec![],
        digest: cfg.digest.clone(),
    };
    c.update_lxc_config(NODE, vmid, &update).await.unwrap();
    let cfg2 = c.lxc_config(NODE, vmid, true).await.unwrap();
    assert_eq!(cfg2.cores, Some(2));
    assert_eq!(cfg2.tags.as_deref(), Some("prod;web"));
    assert_eq!(cfg2.description.as_deref(), Some("made by berth-pve"));
    // The old digest no longer matches (§4.9).
    let e = api_err(c.update_lxc_config(NODE, vmid, &update).await);
    assert_eq!(e.status, 500);
    assert_eq!(
        e.text(),
        "detected modified configuration - file changed by other user? Try again."
    );

    // Stopped: no interfaces (`{"data":null}`).
    assert_eq!(status(&c, vmid).await, GuestStatus::Stopped);
    assert_eq!(c.lxc_interfaces(NODE, vmid).await.unwrap(), None);
    run(&c, c.start_lxc(NODE, vmid).await, "vzstart").await;
    let cur = c.lxc_status(NODE, vmid).await.unwrap();
    assert_eq!(cur.status, GuestStatus::Running);
    assert!(cur.pid.is_some() && cur.ha.is_some(), "{cur:?}");
    let e = api_err(c.start_lxc(NODE, vmid).await);
    assert_eq!(e.text(), format!("CT {vmid} already running"));
    let ifaces = c.lxc_interfaces(NODE, vmid).await.unwrap().unwrap();
    assert!(ifaces.iter().any(|i| i.name == "lo"), "{ifaces:?}");
    let eth0 = ifaces.iter().find(|i| i.name == "eth0").unwrap();
    assert!(eth0.hwaddr.as_deref().unwrap().starts_with("bc:24:11:"));
    let v4 = eth0
        .ip_addresses
        .iter()
        .find(|a| a.family == "inet")
        .unwrap();
    assert!(v4.address.starts_with("10."), "{eth0:?}");

    // Snapshots on lvmthin: create, list (ends with `current`), rollback, delete.
    run(
        &c,
        c.create_lxc_snapshot(NODE, vmid, "before", Some("clean"))
            .await,
        "vzsnapshot",
    )
    .await;
    let snaps = c.lxc_snapshots(NODE, vmid).await.unwrap();
    let names: Vec<_> = snaps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["before", "current"]);
    assert!(snaps[1].is_current());
    assert_eq!(snaps[1].parent.as_deref(), Some("before"));
    assert_eq!(snaps[0].description.as_deref(), Some("clean"));
    run(
        &c,
        c.rollback_lxc_snapshot(NODE, vmid, "before", None).await,
        "vzrollback",
    )
    .await;
    // Rollback stops a running CT first.
    assert_eq!(status(&c, vmid).await, GuestStatus::Stopped);
    run(
        &c,
        c.delete_lxc_snapshot(NODE, vmid, "before", false).await,
        "vzdelsnapshot",
    )
    .await;
    let snaps = c.lxc_snapshots(NODE, vmid).await.unwrap();
    assert!(snaps.len() == 1 && snaps[0].is_current(), "{snaps:?}");

    // Power actions.
    run(&c, c.start_lxc(NODE, vmid).await, "vzstart").await;
    run(&c, c.reboot_lxc(NODE, vmid, Some(10)).await, "vzreboot").await;
    assert_eq!(status(&c, vmid).await, GuestStatus::Running);
    run(
        &c,
        c.shutdown_lxc(NODE, vmid, Some(10), true).await,
        "vzshutdown",
    )
    .await;
    assert_eq!(status(&c, vmid).await, GuestStatus::Stopped);
    let e = api_err(c.shutdown_lxc(NODE, vmid, None, false).await);
    assert_eq!(e.text(), format!("CT {vmid} not running"));
    let e = api_err(c.reboot_lxc(NODE, vmid, None).await);
    assert_eq!(e.text(), format!("VM {vmid} not running"), "sic, §4.10");
    run(&c, c.start_lxc(NODE, vmid).await, "vzstart").await;
    run(&c, c.stop_lxc(NODE, vmid, true).await, "vzstop").await;
    assert_eq!(status(&c, vmid).await, GuestStatus::Stopped);

    let rrd = c
        .lxc_rrddata(NODE, vmid, RrdTimeframe::Hour, false)
        .await
        .unwrap();
    assert!(rrd.len() >= 60, "{}", rrd.len());
    assert!(rrd.iter().all(|p| p.time > 0));
    // A CT without history has only the `max*` series.
    assert!(
        rrd.iter()
            .all(|p| p.get("maxmem") == Some(256.0 * 1048576.0))
    );
    c.lxc_rrddata(NODE, vmid, RrdTimeframe::Day, true)
        .await
        .unwrap();

    run(
        &c,
        c.delete_lxc(NODE, vmid, DeleteLxc::default()).await,
        "vzdestroy",
    )
    .await;
    assert!(
        c.lxc_list(NODE)
            .await
            .unwrap()
            .iter()
            .all(|ct| ct.vmid != vmid)
    );
    let e = api_err(c.lxc_status(NODE, vmid).await);
    assert_eq!(e.status, 500);
    assert_eq!(e.retry(), Retry::MaybeApplied);
    assert_eq!(
        e.text(),
        format!("Configuration file 'nodes/{NODE}/lxc/{vmid}.conf' does not exist")
    );
    sim.sim.shutdown().await;
}
