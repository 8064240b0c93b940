//! What "live" costs, through the real router served over TCP, on real Postgres and Redis:
//!
//! 1. Event latency, worker → browser: the worker's event sink (`run_events` in Postgres, then
//!    Redis pub/sub) to a websocket client following the run, one event at a time; p50/p99.
//! 2. Proxmox requests per minute while 1, 200 and 1,000 websocket clients follow the
//!    containers list, with the status poller running against the simulator. One poller serves
//!    every socket, so the figure must not grow with the clients.
//!
//! `cargo bench -p server --bench live` with `BERTH_TEST_DATABASE_URL` and
//! `BERTH_TEST_REDIS_URL` set (`cargo xtask bench` sets them).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[allow(
    dead_code,
    reason = "the tests' harness, shared; the bench uses part of it"
)]
#[path = "../tests/it/support.rs"]
mod support;

use berth_db::audit::{NewAuditEntry, Outcome};
use berth_db::runs::{self, NewRun};
use berth_domain::Role;
use berth_domain::run::{LogStream, RunEvent, SequencedEvent};
use berth_jobs::CancellationToken;
use berth_provision::{EventSink, RunEvents};
use berth_status::{Poller, PollerConfig};
use futures_util::StreamExt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use support::{TestApp, WsClient, app_with_sim, next_text, sim_proxmox, ws_request};
use uuid::Uuid;

const EVENTS: usize = 1000;
const CLIENT_COUNTS: [usize; 3] = [1, 200, 1000];
/// Each client count is watched this long; the poller reads Proxmox every 3 s.
const WINDOW: Duration = Duration::from_secs(30);

#[tokio::main]
async fn main() {
    let (app, sim) = app_with_sim(0.05).await;
    let pve = berth_server::proxmox::client(&sim_proxmox(&sim)).unwrap();
    let cookie = app.sign_in_as(Role::Viewer).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = app.router.clone();
    tokio::spawn(async move { axum::serve(listener, router).await });

    event_latency(&app, address, &cookie).await;
    proxmox_load(&app, &sim, pve, address, &cookie).await;
}

async fn connect(address: SocketAddr, query: &str, cookie: &str) -> WsClient {
    tokio_tungstenite::connect_async(ws_request(address, query, cookie))
        .await
        .unwrap()
        .0
}

async fn event_latency(app: &TestApp, address: SocketAddr, cookie: &str) {
    let mut conn = app.pool.get().await.unwrap();
    berth_catalog::builtin::seed(&mut conn).await.unwrap();
    let run = NewRun {
        template_name: "debian-base",
        template_version: 1,
        hostname: "bench",
        spec: serde_json::json!({}),
        secrets: serde_json::json!({}),
        vmid: None,
        requested_by: None,
        requested_by_name: "bench",
    };
    let entry = NewAuditEntry::new("bench", "run.create", Outcome::Success);
    let id = runs::create(&mut conn, &run, entry).await.unwrap();
    let token = Uuid::new_v4();
    runs::claim(&mut conn, id, token, "bench").await.unwrap();
    drop(conn);

    let sink = RunEvents::new(app.pool.clone(), app.queue.events());
    let mut socket = connect(address, &format!("run={id}&after=0"), cookie).await;
    let mut latencies = Vec::with_capacity(EVENTS);
    for i in 0..EVENTS {
        let event = RunEvent::Log {
            stage: None,
            stream: LogStream::Stdout,
            line: format!("line {i}"),
        };
        let sent = Instant::now();
        let written = sink.emit(id, token, &event).await.unwrap();
        loop {
            let got: SequencedEvent = serde_json::from_str(&next_text(&mut socket).await).unwrap();
            if got.seq == written.seq {
                break;
            }
        }
        latencies.push(sent.elapsed());
    }
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "event latency, worker sink → websocket client ({EVENTS} events, one at a time):\n  \
         p50 {:.2?}  p99 {:.2?}  max {:.2?}",
        at(0.50),
        at(0.99),
        latencies[latencies.len() - 1]
    );
}

async fn proxmox_load(
    app: &TestApp,
    sim: &berth_pve_sim::RunningSim,
    pve: berth_pve::PveClient,
    address: SocketAddr,
    cookie: &str,
) {
    let redis = support::redis(&berth_testkit::redis_url()).await;
    let stop = CancellationToken::new();
    let poller = Poller::new(
        pve,
        redis,
        app.queue.events(),
        app.queue.node_slots(),
        PollerConfig::new("main", &app.key_prefix, "bench"),
    );
    tokio::spawn(poller.run(stop.clone()));
    // Let the first poll land before counting.
    tokio::time::sleep(Duration::from_secs(4)).await;

    println!("Proxmox load while websocket clients follow the containers list ({WINDOW:?} each):");
    println!("  | clients | Proxmox requests/min | pushes received/client/min |");
    let received = Arc::new(AtomicU64::new(0));
    let mut followers = Vec::new();
    for clients in CLIENT_COUNTS {
        while followers.len() < clients {
            let mut socket = connect(address, "containers=main", cookie).await;
            let received = received.clone();
            followers.push(tokio::spawn(async move {
                while let Some(Ok(message)) = socket.next().await {
                    if message.is_text() {
                        received.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }));
        }
        let (calls, pushes) = (sim.api_calls(), received.load(Ordering::Relaxed));
        tokio::time::sleep(WINDOW).await;
        let per_minute = 60.0 / WINDOW.as_secs_f64();
        let calls = (sim.api_calls() - calls) as f64 * per_minute;
        let pushes = (received.load(Ordering::Relaxed) - pushes) as f64 * per_minute;
        println!(
            "  | {clients:>7} | {calls:>20.0} | {:>26.1} |",
            pushes / clients as f64
        );
    }
    stop.cancel();
    for follower in followers {
        follower.abort();
    }
}
