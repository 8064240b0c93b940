//! Throughput of the client against the in-process simulator on loopback (HTTPS, pinned), and
//! the simulator's memory with 1,000 containers. Not a test: `cargo bench -p berth-pve --bench
//! throughput` prints a table. RSS is the whole process (client, simulator and runtime).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use berth_pve::types::{CreateLxc, LxcStatus};
use berth_pve::{PveClient, TlsMode};
use berth_pve_sim::{RunningSim, SimOptions};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const CONCURRENCY: usize = 64;
const CALLS: usize = 20_000;
/// Each measurement stops early once this much time has passed.
const TIME_BOUND: Duration = Duration::from_secs(15);
const CONTAINERS: u32 = 1_000;
const NODE: &str = "pve1";

struct Row {
    name: String,
    calls: usize,
    errors: usize,
    secs: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run());
}

async fn run() {
    let rss_start = rss_kib();
    let sim = berth_pve_sim::spawn(SimOptions {
        // Tasks finish almost at once: a create is ~5 simulated seconds.
        time_scale: 0.0002,
        ..SimOptions::with_default_seed()
    })
    .await
    .unwrap();
    let rss_sim = rss_kib();
    let mut rows = Vec::new();

    let wide = client(&sim, CONCURRENCY);
    let narrow = client(&sim, 4);
    let c = wide.clone();
    rows.push(measure("GET /version", CALLS, move || version(c.clone())).await);
    let c = wide.clone();
    rows.push(
        measure("GET /nodes/pve1/lxc (0 CTs)", CALLS, move || {
            list(c.clone())
        })
        .await,
    );
    let c = narrow.clone();
    rows.push(
        measure("  same, per_node_limit 4 (default)", CALLS, move || {
            list(c.clone())
        })
        .await,
    );

    let started = Instant::now();
    let created = create_many(&wide, CONTAINERS).await;
    let create_secs = started.elapsed().as_secs_f64();
    let rss_full = rss_kib();
    let c = wide.clone();
    rows.push(
        measure("GET /nodes/pve1/lxc (1,000 CTs)", 1_000, move || {
            list(c.clone())
        })
        .await,
    );
    let rss_end = rss_kib();
    let breakdown = list_breakdown(&sim).await;

    println!();
    println!(
        "client throughput, {CONCURRENCY} concurrent tasks, HTTPS on loopback, {} worker threads",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "{:<36} {:>7} {:>6} {:>8} {:>10} {:>8} {:>8}",
        "call", "calls", "errors", "secs", "calls/s", "p50 ms", "p99 ms"
    );
    for r in &rows {
        println!(
            "{:<36} {:>7} {:>6} {:>8.2} {:>10.0} {:>8.2} {:>8.2}",
            r.name,
            r.calls,
            r.errors,
            r.secs,
            r.calls as f64 / r.secs,
            r.p50_ms,
            r.p99_ms
        );
    }
    println!();
    println!("memory (VmRSS of the whole process, KiB)");
    println!("{:<44} {:>10}", "before the simulator", rss_start);
    println!("{:<44} {:>10}", "simulator started (default seed)", rss_sim);
    println!(
        "{:<44} {:>10}",
        format!("after {created} containers created"),
        rss_full
    );
    println!("{:<44} {:>10}", "after listing them 1,000 times", rss_end);
    println!(
        "{:<44} {:>10}",
        "growth for the containers",
        rss_full.saturating_sub(rss_sim)
    );
    println!(
        "created {created} containers through the API (create + wait_task) in {create_secs:.2} s"
    );
    println!();
    println!("one GET /nodes/pve1/lxc with 1,000 CTs, sequential (mean of {BREAKDOWN_RUNS})");
    println!("{:<44} {:>10}", "body size, bytes", breakdown.bytes);
    println!(
        "{:<44} {:>10.2}",
        "raw HTTPS round trip incl. server, ms", breakdown.raw_ms
    );
    println!(
        "{:<44} {:>10.2}",
        "client decode of that body, ms", breakdown.decode_ms
    );
    println!(
        "{:<44} {:>10.2}",
        "whole client call (lxc_list), ms", breakdown.client_ms
    );
    sim.shutdown().await;
}

const BREAKDOWN_RUNS: u32 = 20;

struct Breakdown {
    bytes: usize,
    raw_ms: f64,
    decode_ms: f64,
    client_ms: f64,
}

/// Where the time of one big list goes: the server and transport (a plain HTTPS GET that
/// reads the body), the client's decoding, and the whole client call.
async fn list_breakdown(sim: &RunningSim) -> Breakdown {
    let token = sim.token("berth@pve!provisioner").unwrap();
    let pem = sim.ca_pem.as_deref().unwrap();
    let http = reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap())
        .no_proxy()
        .build()
        .unwrap();
    let url = format!("{}/nodes/{NODE}/lxc", sim.base_url);
    let mut body = String::new();
    let t = Instant::now();
    for _ in 0..BREAKDOWN_RUNS {
        let resp = http
            .get(&url)
            .header("Authorization", token.header())
            .send()
            .await
            .unwrap();
        body = resp.text().await.unwrap();
    }
    let raw_ms = ms_per_run(t);
    let t = Instant::now();
    for _ in 0..BREAKDOWN_RUNS {
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let list: Vec<LxcStatus> = serde_json::from_value(v["data"].clone()).unwrap();
        assert_eq!(list.len(), CONTAINERS as usize);
    }
    let decode_ms = ms_per_run(t);
    let c = client(sim, 4);
    c.version().await.unwrap();
    let t = Instant::now();
    for _ in 0..BREAKDOWN_RUNS {
        c.lxc_list(NODE).await.unwrap();
    }
    Breakdown {
        bytes: body.len(),
        raw_ms,
        decode_ms,
        client_ms: ms_per_run(t),
    }
}

fn ms_per_run(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0 / f64::from(BREAKDOWN_RUNS)
}

fn client(sim: &RunningSim, per_node_limit: usize) -> PveClient {
    let token = sim.token("berth@pve!provisioner").unwrap();
    PveClient::builder(sim.base_url.clone())
        .tls(TlsMode::fingerprint(sim.fingerprint.as_deref().unwrap()).unwrap())
        .credentials(berth_pve::Credentials::token(
            &token.full_id,
            token.secret.as_str(),
        ))
        .per_node_limit(per_node_limit)
        .task_poll_interval(Duration::from_millis(5))
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

async fn version(c: PveClient) -> bool {
    c.version().await.is_ok()
}

async fn list(c: PveClient) -> bool {
    c.lxc_list(NODE).await.is_ok()
}

/// Runs `calls` calls of `f` from [`CONCURRENCY`] tasks, or fewer if [`TIME_BOUND`] passes.
async fn measure<F, Fut>(name: &str, calls: usize, f: F) -> Row
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    // Warm-up: connections and TLS sessions.
    for _ in 0..CONCURRENCY {
        f().await;
    }
    let f = Arc::new(f);
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let (f, next, errors) = (f.clone(), next.clone(), errors.clone());
        workers.push(tokio::spawn(async move {
            let mut took = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < calls && started.elapsed() < TIME_BOUND {
                let t = Instant::now();
                if !f().await {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
                took.push(t.elapsed());
            }
            took
        }));
    }
    let mut took = Vec::new();
    for w in workers {
        took.extend(w.await.unwrap());
    }
    let secs = started.elapsed().as_secs_f64();
    took.sort();
    let pct = |p: f64| {
        took.get(((took.len() as f64 * p) as usize).min(took.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Row {
        name: name.to_owned(),
        calls: took.len(),
        errors: errors.load(Ordering::Relaxed),
        secs,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
    }
}

/// Creates `n` containers through the API, 16 at a time, each waited for; returns how many
/// ended `OK`.
async fn create_many(c: &PveClient, n: u32) -> usize {
    let next = Arc::new(AtomicUsize::new(0));
    let ok = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..16 {
        let (c, next, ok) = (c.clone(), next.clone(), ok.clone());
        workers.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed) as u32;
                if i >= n {
                    return;
                }
                let vmid = 1000 + i;
                let mut req =
                    CreateLxc::new(vmid, "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst");
                // 1,000 × 0.1 GiB fits the seeded 400 GiB thin pool.
                req.rootfs = Some("local-lvm:0.1".into());
                req.options.hostname = Some(format!("bench-{vmid}"));
                match c.create_lxc(NODE, &req).await {
                    Ok(upid) => match c.wait_task(&upid, Duration::from_secs(60)).await {
                        Ok(_) => {
                            ok.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => eprintln!("CT {vmid}: {e}"),
                    },
                    Err(e) => eprintln!("CT {vmid}: {e}"),
                }
            }
        }));
    }
    for w in workers {
        w.await.unwrap();
    }
    ok.load(Ordering::Relaxed)
}

/// `VmRSS` of this process from `/proc/self/status`, in KiB (0 where there is no procfs).
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
