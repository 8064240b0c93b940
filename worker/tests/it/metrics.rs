//! The worker's Prometheus endpoint (`BERTH_WORKER_METRICS_ADDR`): after a run, it shows how
//! long each stage took and the Proxmox calls the run made.

use crate::pipeline::Pipeline;
use berth_domain::run::RunState;
use berth_testkit as testkit;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// A plain HTTP/1.0 GET: the endpoint answers any path.
fn get(address: &str) -> String {
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .write_all(b"GET /metrics HTTP/1.0\r\nHost: worker\r\n\r\n")
        .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    reply
}

#[tokio::test(flavor = "multi_thread")]
async fn the_worker_serves_stage_durations_and_proxmox_calls() {
    let p = Pipeline::start().await;
    let address = format!("127.0.0.1:{}", testkit::free_port());
    let mut worker = p.spawn_worker_with("metered", &[("BERTH_WORKER_METRICS_ADDR", &address)]);
    let id = p.create_run("metered1").await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while !p.run(id).await.state().is_final() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let state = p.run(id).await.state();
    let reply = get(&address);
    worker.kill().unwrap();
    worker.wait().unwrap();
    assert_eq!(state, RunState::Succeeded, "{}", p.worker_log("metered"));
    assert!(
        reply.starts_with("HTTP/1.0 200") || reply.starts_with("HTTP/1.1 200"),
        "{reply}"
    );
    for stage in ["reserve_vmid", "create_container", "run_scripts", "verify"] {
        let count =
            format!(r#"berth_stage_duration_seconds_count{{stage="{stage}",outcome="done"}} 1"#);
        assert!(reply.contains(&count), "{count} missing from:\n{reply}");
    }
    let create =
        r#"berth_pve_requests_total{method="POST",endpoint="/nodes/{node}/lxc",status="200"} 1"#;
    assert!(reply.contains(create), "{create} missing from:\n{reply}");
}
