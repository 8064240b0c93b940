//! `cargo xtask bench`: every benchmark on fresh private (or the configured) Postgres and
//! Redis, each printing its own table. Not part of `test`: figures are measured, not asserted.
//! `BERTH_BENCH=ssr,hydration` runs only the benches whose `package/bench` name contains one of
//! the words.

use anyhow::Result;

use crate::args::Args;
use crate::install::{self, Needs};
use crate::paths::Paths;
use crate::services::{Kind, Services};
use crate::test_run::with_services;
use crate::{apt, binaries, cmd, playwright, proc, route, site};

/// (package, bench target, what it measures)
const BENCHES: [(&str, &str, &str); 7] = [
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
    (
        "server",
        "ssr",
        "pages under wrk and oha: /containers from the cache, /templates from Postgres",
    ),
    (
        "server",
        "memory",
        "berth-server's resident set, idle and with 1,000 websockets",
    ),
    ("worker", "memory", "berth-worker's resident set, idle"),
];

pub fn task(paths: &Paths, args: &Args) -> Result<bool> {
    let only = std::env::var("BERTH_BENCH").unwrap_or_default();
    let hydration_wanted = selected(&only, "end2end/hydration");
    install::ensure(
        paths,
        Needs {
            services: true,
            // The site's toolchain only for the hydration bench, which builds it.
            site: hydration_wanted,
            test_tools: false,
            sandboxes: false,
        },
    )?;
    // The SSR bench's load generator and the hydration bench's browser, when they run.
    let mut packages = Vec::new();
    let mut oha = None;
    if selected(&only, "server/ssr") {
        packages.push("wrk");
        oha = Some(install::oha()?);
    }
    if hydration_wanted {
        packages.push("chromium");
    }
    if !packages.is_empty() {
        apt::ensure_packages(&packages)?;
    }
    let services = Services::start(paths, Kind::Test)?;
    let mut failed = Vec::new();
    for (package, bench, what) in BENCHES {
        if proc::stop_requested() {
            break;
        }
        if !selected(&only, &format!("{package}/{bench}")) {
            continue;
        }
        println!("\n== {package} / {bench}: {what}");
        let mut cargo = cmd::cargo();
        cargo.args(["bench", "-p", package, "--bench", bench]);
        if let Some(oha) = &oha {
            cargo.env("BERTH_BENCH_OHA", oha);
        }
        if let Err(error) = cmd::run(with_services(&mut cargo, &services)) {
            eprintln!("bench {package}/{bench} failed: {error:#}");
            failed.push(format!("{package}/{bench}"));
        }
    }
    if !proc::stop_requested() && hydration_wanted {
        println!("\n== end2end / hydration: the site's size, then hydration in headless Chromium");
        if let Err(error) = hydration(paths, args, &services) {
            eprintln!("bench end2end/hydration failed: {error:#}");
            failed.push("end2end/hydration".into());
        }
    }
    drop(services);
    if !failed.is_empty() {
        eprintln!("failed: {}", failed.join(", "));
    }
    Ok(failed.is_empty())
}

/// Whether `name` is among the benches `only` (comma-separated words; empty: all) asks for.
fn selected(only: &str, name: &str) -> bool {
    let words: Vec<&str> = only
        .split(',')
        .map(str::trim)
        .filter(|word| !word.is_empty())
        .collect();
    words.is_empty() || words.iter().any(|word| name.contains(word))
}

/// The release site (whose build prints the bundle's raw, gzip and brotli sizes) served by the
/// release binaries, measured by end2end/bench/ in Playwright.
fn hydration(paths: &Paths, args: &Args, services: &Services) -> Result<()> {
    playwright::cli(paths)?;
    site::build(paths, route::resolve(args.route)?)?;
    let built = binaries::build(paths, true, binaries::Scope::Binaries)?;
    let run = playwright::Run {
        args: vec!["--config".into(), "playwright.bench.config.ts".into()],
        sim_dir: "bench-pve-sim",
        sandboxes: false,
        results: "test-results/bench",
    };
    playwright::run(paths, services, &built, run)
}

#[cfg(test)]
mod tests {
    use super::selected;

    #[test]
    fn benches_are_chosen_by_words_in_their_names() {
        assert!(selected("", "server/ssr"));
        assert!(selected(" , ", "server/ssr"));
        assert!(selected("ssr,hydration", "server/ssr"));
        assert!(selected("ssr, hydration", "end2end/hydration"));
        assert!(selected("memory", "worker/memory"));
        assert!(!selected("memory", "server/ssr"));
    }
}
