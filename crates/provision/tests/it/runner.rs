//! The provisioner as the worker runs it: a `berth_jobs::Runner` leases the run's job and hands
//! it to the driver; a retryable failure comes back after the back-off and converges.

use crate::support::{Harness, NODE};
use berth_domain::run::{RunState, Stage};
use berth_domain::template::{Ipv4Mode, StaticAddress};
use berth_jobs::{CancellationToken, Runner, RunnerConfig};
use berth_provision::Checkpoint;
use std::time::Duration;
use tokio::time::Instant;

fn config() -> RunnerConfig {
    RunnerConfig {
        concurrency: 2,
        lease_ttl: Duration::from_secs(5),
        heartbeat_every: Duration::from_millis(200),
        retry_base: Duration::from_millis(50),
        retry_max: Duration::from_millis(200),
        reap_every: Duration::from_millis(200),
        shutdown_grace: Duration::from_millis(500),
        cancel_grace: Duration::from_millis(500),
        ..RunnerConfig::new("test-runner")
    }
}

#[tokio::test]
async fn the_runner_drives_a_run_through_a_failed_start_to_its_static_address() {
    let h = Harness::start().await;
    // The first start fails; the retry after the back-off starts it.
    h.set_faults(serde_json::json!({"fail_tasks": {"vzstart": "lxc-start failed"}}))
        .await;
    let mut spec = h.spec("static1");
    spec.network.ipv4 = Ipv4Mode::Static(StaticAddress {
        address: "10.0.0.50/24".into(),
        gateway: Some("10.0.0.1".into()),
    });
    spec.network.dns_servers = vec!["10.0.0.53".into()];
    spec.network.search_domain = "lab.example".into();
    let id = h.create_run(&spec).await;
    h.queue.enqueue(id).await.unwrap();
    let shutdown = CancellationToken::new();
    let runner =
        tokio::spawn(Runner::new(h.queue.clone(), h.provisioner(), config()).run(shutdown.clone()));

    let deadline = Instant::now() + Duration::from_secs(15);
    let mut cleared = false;
    let run = loop {
        let run = h.run_record(id).await;
        if run.state().is_final() {
            break run;
        }
        if !cleared
            && run.summary.attempt >= 1
            && run.summary.stage == Some(Stage::StartContainer)
            && h.events(id)
                .await
                .iter()
                .any(|e| matches!(e.event, berth_domain::run::RunEvent::StageFailed { .. }))
        {
            h.set_faults(serde_json::json!({})).await;
            cleared = true;
        }
        assert!(
            Instant::now() < deadline,
            "the run never finished: {:?}",
            run.summary
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    shutdown.cancel();
    runner.await.unwrap().unwrap();

    assert_eq!(run.state(), RunState::Failed);
    assert_eq!(
        run.summary.stage,
        Some(Stage::Connect),
        "{:?}",
        run.summary.error
    );
    assert!(run.summary.attempt >= 2, "{}", run.summary.attempt);
    let checkpoint = Checkpoint::from_json(&run.checkpoint).unwrap();
    assert_eq!(checkpoint.address.as_deref(), Some("10.0.0.50"));
    let config = h
        .pve()
        .lxc_config(NODE, checkpoint.vmid.unwrap(), false)
        .await
        .unwrap();
    let net0 = config.nets()[&0].to_owned();
    assert!(
        net0.contains("ip=10.0.0.50/24") && net0.contains("gw=10.0.0.1"),
        "{net0}"
    );
    assert_eq!(config.other["nameserver"], "10.0.0.53");
    assert_eq!(config.other["searchdomain"], "lab.example");
    assert_eq!(h.tagged(id).await.len(), 1);
}
