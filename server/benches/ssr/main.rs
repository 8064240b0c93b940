//! Server-side rendering under load, through the real router served over TCP on real Postgres
//! and Redis, at 50 connections:
//!
//! - `/containers` with 500 containers, rendered from the status cache (the poller's snapshot in
//!   Redis) and kept by the server's page cache, which renders it again at most once a second
//!   per session (or when the cluster's channel moves). The poller is stopped before the load,
//!   and the simulator's request counter shows that no page asked Proxmox anything.
//! - `/templates` with 100 templates, rendered from Postgres.
//!
//! Each page is measured twice: `wrk` saturates it (requests/s is what the server can serve), then
//! `oha` offers exactly the target's rate with latency correction (p50/p99 at that load). A target
//! such as "1,000 requests/s at p99 ≤ 25 ms" is met when the server serves at least that rate and
//! answers within that time while serving it. wrk's own percentiles are printed too: with 50
//! connections in a closed loop they only reflect the saturation (Little's law: 50 connections at
//! 1,000 requests/s wait 50 ms on average).
//!
//! `cargo bench -p server --bench ssr` with `BERTH_TEST_DATABASE_URL` and `BERTH_TEST_REDIS_URL`
//! set (`cargo xtask bench` sets them, and installs `wrk` and `oha`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[allow(
    dead_code,
    reason = "the tests' harness, shared; the bench uses part of it"
)]
#[path = "../../tests/it/support.rs"]
mod support;

mod oha;
mod seed;
mod wrk;

use axum::extract::Request;
use axum::middleware::Next;
use berth_domain::Role;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use support::app_with_sim;

const CONTAINERS: usize = 500;
const TEMPLATES: usize = 100;
const CONNECTIONS: u32 = 50;
const THREADS: u32 = 2;
const DURATION: Duration = Duration::from_secs(10);

/// One page under load, and what it should reach.
struct Page {
    path: &'static str,
    what: &'static str,
    /// The marker counted once per rendered item.
    item: &'static str,
    items: usize,
    target_rps: u32,
    target_p99_ms: f64,
}

const PAGES: [Page; 2] = [
    Page {
        path: "/containers",
        what: "500 containers, page cache",
        item: r#"data-testid="container-row""#,
        items: CONTAINERS,
        target_rps: 5000,
        target_p99_ms: 10.0,
    },
    Page {
        path: "/templates",
        what: "100 templates, Postgres",
        item: r#"data-testid="template-card""#,
        items: TEMPLATES,
        target_rps: 1000,
        target_p99_ms: 25.0,
    },
];

#[tokio::main]
async fn main() {
    let (app, sim) = app_with_sim(0.01).await;
    let pve = seed::client(&sim);
    seed::containers(&pve, CONTAINERS as u32).await;
    seed::fill_cache(&app, pve, CONTAINERS).await;
    seed::templates(&app, TEMPLATES).await;
    let cookie = app.sign_in_as(Role::Viewer).await;

    // Counted by the server: wrk itself only counts statuses of 400 and above.
    let non_2xx = Arc::new(AtomicU64::new(0));
    let counter = non_2xx.clone();
    let router = app.router.clone().layer(axum::middleware::from_fn(
        move |request: Request, next: Next| {
            let counter = counter.clone();
            async move {
                let response = next.run(request).await;
                if !response.status().is_success() {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
                response
            }
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });

    println!(
        "SSR: {CONNECTIONS} connections, {DURATION:?} per run; signed in as a viewer; the load \
         generator on the same {} cores (load average before: {})",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .next()
            .unwrap_or("?")
    );
    println!(
        "  | page        | data                         |     size |  sent as | wrk: requests/s |   wrk p50 |   wrk p99 | oha: offered |  served |       p50 |       p99 | non-2xx | socket errors | Proxmox calls | target                          |"
    );
    for page in &PAGES {
        let (size, sent) = check(address, page, &cookie).await;
        let (before, failed) = (sim.api_calls(), non_2xx.load(Ordering::Relaxed));
        let url = format!("http://{address}{}", page.path);
        let (saturated, fixed) = {
            let cookie = cookie.clone();
            let rate = page.target_rps;
            tokio::task::spawn_blocking(move || {
                let saturated = wrk::run(&url, &cookie, CONNECTIONS, THREADS, DURATION);
                let fixed = oha::run(&url, &cookie, CONNECTIONS, rate, DURATION);
                (saturated, fixed)
            })
            .await
            .unwrap()
        };
        let calls = sim.api_calls() - before;
        let failed = non_2xx.load(Ordering::Relaxed) - failed + fixed.failed;
        let met = saturated.per_second >= f64::from(page.target_rps)
            && fixed.p99_ms <= page.target_p99_ms
            && failed == 0;
        let target = format!(
            "≥ {} rps, p99 ≤ {} ms: {}",
            page.target_rps,
            page.target_p99_ms,
            if met { "met" } else { "missed" }
        );
        println!(
            "  | {:<11} | {:<28} | {:>5.1} KB | {:>5.1} KB | {:>15.0} | {:>6.2} ms | {:>6.2} ms | {:>12} | {:>7.0} | {:>6.2} ms | {:>6.2} ms | {:>7} | {:>13} | {:>13} | {target:<31} |",
            page.path,
            page.what,
            size as f64 / 1024.0,
            sent as f64 / 1024.0,
            saturated.per_second,
            saturated.p50_ms,
            saturated.p99_ms,
            page.target_rps,
            fixed.per_second,
            fixed.p50_ms,
            fixed.p99_ms,
            failed,
            saturated.socket_errors,
            calls,
        );
    }
    println!(
        "  (wrk: {CONNECTIONS} connections in a closed loop, as fast as the server answers; oha: the \
         target's rate offered over {CONNECTIONS} connections, latency counted from when each request \
         was due; sent as: the body on the wire to a client that takes gzip, as both ask for it; \
         Proxmox calls: requests the simulator answered during the page's runs; the poller was \
         stopped, so 0 means every render came from the cache.)"
    );
}

/// One request first: the page must answer 200 with every item, or the figures mean nothing.
/// Returns the page's size in bytes, and the size of the body sent to a client taking gzip.
async fn check(address: SocketAddr, page: &Page, cookie: &str) -> (usize, usize) {
    let response = reqwest::Client::new()
        .get(format!("http://{address}{}", page.path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, 200, "{}: {body}", page.path);
    let items = body.matches(page.item).count();
    assert_eq!(
        items, page.items,
        "{} renders {items} items, not {}",
        page.path, page.items
    );
    // reqwest here has no gzip support: it neither asks for it nor decodes it.
    let sent = reqwest::Client::new()
        .get(format!("http://{address}{}", page.path))
        .header("cookie", cookie)
        .header("accept-encoding", wrk::ACCEPT_ENCODING)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 200);
    (body.len(), sent.bytes().await.unwrap().len())
}
