//! Business errors of PVE-API.md §4 and §6 as the client surfaces them (sync 500 text vs task
//! error), and ticket renewal, against the simulator.

use crate::backend::Backend;
use crate::sim::{NODE, Sim, TASK_DEADLINE, USER, api_err, ct_request};
use berth_pve::types::{DeleteLxc, LxcConfigUpdate, LxcOptions};
use berth_pve::{ApiErrorKind, Error, PveClient, TicketPolicy, Upid};
use std::time::Duration;

async fn task_error(c: &PveClient, upid: Upid) -> String {
    match c.wait_task(&upid, TASK_DEADLINE).await {
        Err(Error::TaskFailed(f)) => f.exitstatus,
        other => panic!("expected a task failure, got {other:?}"),
    }
}

#[tokio::test]
async fn sim_sync_and_task_errors_have_the_real_texts() {
    let sim = Sim::start().await;
    let c = sim.client();
    // Stopped CT on `local` (dir, raw volume): no snapshots there.
    let mut req = ct_request(160);
    req.rootfs = Some("local:4".into());
    sim.create_ct_with(&c, &req).await;

    let e = api_err(c.create_lxc(NODE, &ct_request(160)).await);
    assert_eq!(e.kind(), ApiErrorKind::Server);
    assert_eq!(e.text(), "CT 160 already exists on node 'pve1'");
    let e = api_err(c.stop_lxc(NODE, 160, false).await);
    assert_eq!(e.text(), "CT 160 not running");
    let e = api_err(c.create_lxc_snapshot(NODE, 160, "current", None).await);
    assert_eq!(
        e.text(),
        "unable to use snapshot name 'current' (reserved name)"
    );
    let upid = c
        .create_lxc_snapshot(NODE, 160, "snap1", None)
        .await
        .unwrap();
    assert_eq!(
        task_error(&c, upid).await,
        "snapshot feature is not available"
    );
    let upid = c
        .delete_lxc_snapshot(NODE, 160, "nope", false)
        .await
        .unwrap();
    assert_eq!(task_error(&c, upid).await, "snapshot 'nope' does not exist");
    let upid = c
        .rollback_lxc_snapshot(NODE, 160, "nope", None)
        .await
        .unwrap();
    assert_eq!(task_error(&c, upid).await, "snapshot 'nope' does not exist");

    // A missing CT fails start only inside the task (§4.10).
    let upid = c.start_lxc(NODE, 161).await.unwrap();
    assert_eq!(
        task_error(&c, upid).await,
        "Configuration file 'nodes/pve1/lxc/161.conf' does not exist"
    );

    // Destroying a running CT needs `force`.
    let upid = c.start_lxc(NODE, 160).await.unwrap();
    c.wait_task(&upid, TASK_DEADLINE).await.unwrap();
    let e = api_err(c.delete_lxc(NODE, 160, DeleteLxc::default()).await);
    assert_eq!(e.text(), "unable to destroy CT 160 - container is running");
    let force = DeleteLxc {
        force: true,
        purge: true,
        ..DeleteLxc::default()
    };
    let upid = c.delete_lxc(NODE, 160, force).await.unwrap();
    c.wait_task(&upid, TASK_DEADLINE).await.unwrap();

    // Protected: no destroy.
    let mut req = ct_request(162);
    req.options.protection = Some(true);
    sim.create_ct_with(&c, &req).await;
    let e = api_err(c.delete_lxc(NODE, 162, DeleteLxc::default()).await);
    assert_eq!(e.text(), "can't remove CT 162 - protection mode enabled");

    // Root-only features and pools: 403 with the reason (§5, §4.7).
    let mut req = ct_request(163);
    req.options.features = Some("nesting=1,keyctl=1".into());
    let e = api_err(c.create_lxc(NODE, &req).await);
    assert_eq!(
        e.permission(),
        Some("changing feature flags (except nesting) is only allowed for root@pam")
    );
    let mut req = ct_request(163);
    req.pool = Some("nopool".into());
    let e = api_err(c.create_lxc(NODE, &req).await);
    assert_eq!(e.permission(), Some("pool 'nopool' does not exist"));

    // A locked CT (snapshot task running, `lock: snapshot`): PUT config fails at once (§6).
    sim.create_ct(&c, 164).await;
    let upid = c.create_lxc_snapshot(NODE, 164, "s1", None).await.unwrap();
    let update = LxcConfigUpdate {
        set: LxcOptions {
            cores: Some(1),
            ..LxcOptions::default()
        },
        ..LxcConfigUpdate::default()
    };
    let e = api_err(c.update_lxc_config(NODE, 164, &update).await);
    assert_eq!(e.text(), "CT is locked (snapshot)");
    c.wait_task(&upid, TASK_DEADLINE).await.unwrap();
    c.update_lxc_config(NODE, 164, &update).await.unwrap();

    // An unknown node: 500 hostname lookup (§1).
    let e = api_err(c.lxc_list("nosuchnode").await);
    assert_eq!(e.status, 500);
    assert!(
        e.text().starts_with("hostname lookup 'nosuchnode' failed"),
        "{e}"
    );
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn sim_ticket_is_renewed_and_replaced() {
    let sim = Sim::start().await;
    // Renew before every call: the server must accept the ticket as the password.
    let renewing = TicketPolicy {
        refresh_after: Duration::ZERO,
        expire_after: Duration::from_secs(3600),
    };
    let c = berth_pve::PveClient::builder(sim.base_url())
        .tls(sim.tls())
        .credentials(sim.password(USER))
        .ticket_policy(renewing)
        .build()
        .unwrap();
    for _ in 0..3 {
        c.version().await.unwrap();
    }
    c.lxc_list(NODE).await.unwrap();
    // Always expired: a fresh password login before every call.
    let expired = TicketPolicy {
        refresh_after: Duration::ZERO,
        expire_after: Duration::ZERO,
    };
    let c = berth_pve::PveClient::builder(sim.base_url())
        .tls(sim.tls())
        .credentials(sim.password(USER))
        .ticket_policy(expired)
        .build()
        .unwrap();
    for _ in 0..3 {
        c.version().await.unwrap();
    }
    sim.sim.shutdown().await;
}
