//! Ticket auth with a seeded user, the auditor's 403, and 400 parameter errors against the
//! simulator.

use crate::sim::{AUDITOR, NODE, PROVISIONER, Sim, TASK_DEADLINE, USER, api_err, ct_request};
use berth_pve::types::{CreateLxc, DeleteLxc, LxcConfigUpdate, LxcOptions, NetConfig};
use berth_pve::{ApiErrorKind, Credentials, Retry};
use std::time::Duration;

const T: Duration = Duration::from_secs(10);

#[tokio::test]
async fn sim_ticket_login_and_csrf_on_writes() {
    let sim = Sim::start().await;
    let c = sim.client_as(sim.password(USER), T);
    c.authenticate().await.unwrap();
    assert_eq!(c.version().await.unwrap().version, "9.2.11");
    // POST, PUT and DELETE all need the CSRF header with a ticket.
    let upid = c.create_lxc(NODE, &ct_request(120)).await.unwrap();
    assert!(
        upid.as_str().ends_with(":vzcreate:120:berth@pve:"),
        "{upid}"
    );
    let done = c.wait_task(&upid, TASK_DEADLINE).await.unwrap();
    assert_eq!((done.user.as_str(), done.tokenid), ("berth@pve", None));
    let update = LxcConfigUpdate {
        set: LxcOptions {
            onboot: Some(true),
            ..LxcOptions::default()
        },
        ..LxcConfigUpdate::default()
    };
    c.update_lxc_config(NODE, 120, &update).await.unwrap();
    assert!(c.lxc_config(NODE, 120, false).await.unwrap().onboot);
    let upid = c.delete_lxc(NODE, 120, DeleteLxc::default()).await.unwrap();
    c.wait_task(&upid, TASK_DEADLINE).await.unwrap();

    // A wrong password: 401 `authentication failure`, not retryable.
    let bad = sim.client_as(Credentials::password(USER, "wrong-password"), T);
    let err = bad.version().await.unwrap_err();
    let e = err.api().unwrap();
    assert_eq!(e.kind(), ApiErrorKind::Unauthorized);
    assert_eq!(e.text(), "authentication failure");
    assert_eq!(err.retry(), Retry::No);
    // A wrong token secret: 401 as well.
    let bad = sim.client_as(
        Credentials::token(
            "berth@pve!provisioner",
            "00000000-0000-0000-0000-000000000000",
        ),
        T,
    );
    let e = api_err(bad.version().await);
    assert_eq!(e.kind(), ApiErrorKind::Unauthorized);
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn sim_auditor_may_read_but_not_create() {
    let sim = Sim::start().await;
    let c = sim.client_as(sim.token(AUDITOR), T);
    c.lxc_list(NODE).await.unwrap();
    c.storage_list(NODE, None).await.unwrap();
    let err = c.create_lxc(NODE, &ct_request(130)).await.unwrap_err();
    assert_eq!(err.retry(), Retry::No);
    let e = err.api().unwrap();
    assert_eq!(e.status, 403);
    assert_eq!(e.kind(), ApiErrorKind::Forbidden);
    assert_eq!(e.reason, "Permission check failed (/vms/130, VM.Allocate)");
    assert_eq!(e.text(), "Permission check failed (/vms/130, VM.Allocate)");
    assert_eq!(e.permission(), Some("/vms/130, VM.Allocate"));
    // What an operator reads in a run's log: the call, the status and the missing privilege.
    assert_eq!(
        err.to_string(),
        format!("POST /nodes/{NODE}/lxc: 403 Permission check failed (/vms/130, VM.Allocate)")
    );
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn sim_validation_errors_reach_the_caller() {
    let sim = Sim::start().await;
    let c = sim.client_as(sim.token(PROVISIONER), T);

    let mut req = ct_request(99);
    req.options.hostname = Some("bad_name".into());
    req.options.memory = Some(8);
    req.options.cores = Some(9000);
    let err = c.create_lxc(NODE, &req).await.unwrap_err();
    assert_eq!(err.retry(), Retry::No);
    let e = err.api().unwrap();
    assert_eq!(e.kind(), ApiErrorKind::BadRequest);
    assert_eq!(e.reason, "Parameter verification failed.");
    assert_eq!(e.message.as_deref(), Some("Parameter verification failed."));
    let want = [
        ("cores", "value must have a maximum value of 8192"),
        (
            "hostname",
            "invalid format - value does not look like a valid DNS name",
        ),
        ("memory", "value must have a minimum value of 16"),
        (
            "vmid",
            "invalid format - value does not look like a valid VM ID",
        ),
    ];
    let got: Vec<(&str, &str)> = e
        .errors
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(got, want);
    // Shown in the error's text for logs.
    assert!(err.to_string().contains("vmid: invalid format"), "{err}");

    // A property-string sub-key: nested text under `net0`.
    let mut req = CreateLxc::new(131, crate::sim::DEBIAN);
    req.options.nets.insert(
        0,
        NetConfig {
            name: "eth0".into(),
            bridge: Some("vmbr0".into()),
            ip: Some("10.0.0.5".into()),
            ..NetConfig::default()
        },
    );
    let e = api_err(c.create_lxc(NODE, &req).await);
    assert_eq!(
        e.errors["net0"],
        "invalid format - format error\nnet0.ip: invalid format - value does not look like a valid ipv4 network configuration"
    );
    // A tag with bad characters.
    let mut req = ct_request(132);
    req.options.tags = Some("bad!tag".into());
    let e = api_err(c.create_lxc(NODE, &req).await);
    assert_eq!(
        e.errors["tags"],
        "invalid format - invalid characters in tag"
    );
    sim.sim.shutdown().await;
}
