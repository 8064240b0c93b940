//! Every fault the simulator injects, as the client sees it: latency, 5xx, a hanging call,
//! failing task types, config-lock timeouts and an offline node.

use crate::backend::Backend;
use crate::sim::{NODE, PROVISIONER, Sim, TASK_DEADLINE, api_err, ct_request};
use berth_pve::types::{LxcConfigUpdate, LxcOptions, ResourceType};
use berth_pve::{ApiErrorKind, Error, Retry};
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn sim_latency_slows_but_succeeds() {
    let sim = Sim::start().await;
    let c = sim.client();
    c.version().await.unwrap();
    sim.set_faults(
        json!({"latency_ms": 250, "latency_by_prefix": [{"prefix": "/nodes/pve1/lxc", "ms": 250}]}),
    )
    .await;
    let t = Instant::now();
    c.version().await.unwrap();
    let plain = t.elapsed();
    assert!(plain >= Duration::from_millis(250), "{plain:?}");
    let t = Instant::now();
    c.lxc_list(NODE).await.unwrap();
    assert!(
        t.elapsed() >= Duration::from_millis(500),
        "{:?}",
        t.elapsed()
    );
    sim.clear_faults().await;
    let t = Instant::now();
    c.version().await.unwrap();
    assert!(
        t.elapsed() < Duration::from_millis(250),
        "{:?}",
        t.elapsed()
    );
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn sim_server_errors_may_have_been_applied() {
    let sim = Sim::start().await;
    let c = sim.client();
    sim.set_faults(json!({"error_rate": 1.0, "error_status": 503}))
        .await;
    let err = c.create_lxc(NODE, &ct_request(140)).await.unwrap_err();
    assert_eq!(err.retry(), Retry::MaybeApplied);
    let e = err.api().unwrap();
    assert_eq!(e.status, 503);
    assert_eq!(e.kind(), ApiErrorKind::Other);
    assert_eq!(e.reason, "simulated server error (fault injection)");
    sim.set_faults(json!({"error_rate": 1.0})).await;
    let e = api_err(c.version().await);
    assert_eq!((e.status, e.kind()), (500, ApiErrorKind::Server));
    assert_eq!(e.retry(), Retry::MaybeApplied);
    sim.clear_faults().await;
    c.version().await.unwrap();
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn sim_hanging_call_times_out_with_the_configured_timeout() {
    let sim = Sim::start().await;
    let timeout = Duration::from_millis(400);
    let c = sim.client_as(sim.token(PROVISIONER), timeout);
    c.version().await.unwrap(); // connection up, so the timeout is after sending
    sim.set_faults(json!({"hang_prefixes": ["/cluster/resources"]}))
        .await;
    let t = Instant::now();
    let err = c
        .cluster_resources(Some(ResourceType::Vm))
        .await
        .unwrap_err();
    let took = t.elapsed();
    match &err {
        Error::Timeout {
            timeout: t,
            sent,
            path,
            ..
        } => {
            assert_eq!(*t, timeout);
            assert!(*sent);
            assert_eq!(path, "/cluster/resources");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(err.retry(), Retry::MaybeApplied);
    assert!(took >= timeout && took < timeout * 5, "{took:?}");
    // Other paths are not held up.
    c.version().await.unwrap();
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn sim_failing_tasks_carry_exit_status_and_log_tail() {
    let sim = Sim::start().await;
    let c = sim.client();
    sim.set_faults(json!({"fail_tasks": {"vzcreate": "", "vzstart": "lxc-start failed"}}))
        .await;
    let upid = c.create_lxc(NODE, &ct_request(141)).await.unwrap();
    let err = c.wait_task(&upid, TASK_DEADLINE).await.unwrap_err();
    assert_eq!(err.retry(), Retry::No);
    let Error::TaskFailed(f) = &err else {
        panic!("expected a task failure, got {err:?}");
    };
    let want = "unable to create CT 141 - simulated failure (fault injection)";
    assert_eq!(f.exitstatus, want);
    assert_eq!(f.upid, upid);
    assert!(f.log_tail.len() <= 20 && !f.log_tail.is_empty());
    assert_eq!(f.log_tail.last().unwrap(), &format!("TASK ERROR: {want}"));
    // The half-made CT is gone.
    assert_eq!(api_err(c.lxc_config(NODE, 141, false).await).status, 500);

    sim.set_faults(json!({"fail_tasks": {"vzstart": "lxc-start failed"}}))
        .await;
    sim.create_ct(&c, 141).await;
    let upid = c.start_lxc(NODE, 141).await.unwrap();
    match c.wait_task(&upid, TASK_DEADLINE).await {
        Err(Error::TaskFailed(f)) => {
            let want = "startup for container '141' failed: lxc-start failed";
            assert_eq!(f.exitstatus, want);
            assert_eq!(f.log_tail.last().unwrap(), &format!("TASK ERROR: {want}"));
        }
        other => panic!("expected a task failure, got {other:?}"),
    }
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn sim_lock_timeout_in_sync_call_and_in_task() {
    let sim = Sim::start().await;
    let c = sim.client();
    sim.create_ct(&c, 142).await;
    sim.set_faults(json!({"lock_timeout": true})).await;
    let lock_msg = "can't lock file '/run/lock/lxc/pve-config-142.lock' - got timeout";
    let update = LxcConfigUpdate {
        set: LxcOptions {
            cores: Some(2),
            ..LxcOptions::default()
        },
        ..LxcConfigUpdate::default()
    };
    let err = c.update_lxc_config(NODE, 142, &update).await.unwrap_err();
    assert_eq!(err.retry(), Retry::MaybeApplied);
    let e = err.api().unwrap();
    assert_eq!((e.status, e.kind()), (500, ApiErrorKind::Server));
    assert_eq!(e.reason, lock_msg);
    assert_eq!(e.text(), lock_msg);
    // start takes the flock inside its task: the task fails with the same text.
    let upid = c.start_lxc(NODE, 142).await.unwrap();
    match c.wait_task(&upid, TASK_DEADLINE).await {
        Err(Error::TaskFailed(f)) => assert_eq!(f.exitstatus, lock_msg),
        other => panic!("expected a task failure, got {other:?}"),
    }
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn sim_offline_node_is_unreachable() {
    let sim = Sim::start().await;
    let c = sim.client();
    sim.set_faults(json!({"offline_nodes": ["pve2"]})).await;
    let err = c.lxc_list("pve2").await.unwrap_err();
    assert_eq!(err.retry(), Retry::MaybeApplied);
    let e = err.api().unwrap();
    assert_eq!(e.status, 595);
    assert_eq!(e.kind(), ApiErrorKind::NodeUnreachable);
    assert_eq!(e.reason, "No route to host");
    let e = api_err(c.node_status("pve2").await);
    assert_eq!(e.kind(), ApiErrorKind::NodeUnreachable);
    let nodes = c.nodes().await.unwrap();
    let pve2 = nodes.iter().find(|n| n.node == "pve2").unwrap();
    assert_eq!(pve2.status, "offline");
    assert!(pve2.cpu.is_none());
    // The other node still answers.
    c.lxc_list(NODE).await.unwrap();
    sim.sim.shutdown().await;
}
