//! `cargo xtask bench`: every benchmark on fresh private (or the configured) Postgres and
//! Redis, each printing its own table. Not part of `test`: figures are measured, not asserted.

use anyhow::Result;

use crate::args::Args;
use crate::install::{self, Needs};
use crate::paths::Paths;
use crate::services::{Kind, Services};
use crate::test_run::with_services;
use crate::{cmd, proc};

/// (package, bench target, what it measures)
const BENCHES: [(&str, &str, &str); 4] = [
    ("berth-jobs", "queue", "queue throughput and pickup latency"),
    (
        "berth-pve",
        "throughput",
        "Proxmox client calls/s against the simulator",
    ),
    (
        "berth-provision",
        "creations",
        "100 creations, concurrency 16, 2 s tasks",
    ),
    (
        "server",
        "live",
        "event latency to the browser; Proxmox load per websocket count",
    ),
];

pub fn task(paths: &Paths, _args: &Args) -> Result<bool> {
    install::ensure(
        paths,
        Needs {
            services: true,
            site: false,
            test_tools: false,
            sandboxes: false,
        },
    )?;
    let services = Services::start(paths, Kind::Test)?;
    let mut failed = Vec::new();
    for (package, bench, what) in BENCHES {
        if proc::stop_requested() {
            break;
        }
        println!("\n== {package} / {bench}: {what}");
        let mut cargo = cmd::cargo();
        cargo.args(["bench", "-p", package, "--bench", bench]);
        if let Err(error) = cmd::run(with_services(&mut cargo, &services)) {
            eprintln!("bench {package}/{bench} failed: {error:#}");
            failed.push(bench);
        }
    }
    drop(services);
    if !failed.is_empty() {
        eprintln!("failed: {}", failed.join(", "));
    }
    Ok(failed.is_empty())
}
