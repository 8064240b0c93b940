//! `cargo xtask test`: fmt, clippy, tests, wasm, shell, proxmoxer, e2e — every stage summarised,
//! then a total.

use std::process::Command;

use anyhow::{Context, Result, anyhow, bail};

use crate::args::Args;
use crate::install::{self, Needs};
use crate::paths::Paths;
use crate::pve_sim::Ssh;
use crate::route::{self, Route};
use crate::services::{Kind, Services};
use crate::stage::Tally;
use crate::{binaries, cmd, playwright, proc, pve_sim, python, shell, site};

/// Runs every stage; returns whether all passed.
pub fn task(paths: &Paths, args: &Args) -> Result<bool> {
    install::ensure(
        paths,
        Needs {
            services: true,
            site: true,
            test_tools: true,
            sandboxes: true,
        },
    )?;
    // Kept as a Result: a route that cannot be had fails the wasm stages, not the whole run.
    let route = route::resolve(args.route);
    let mut tally = Tally::default();
    let mut services: Option<Result<Services>> = None;

    tally.run("fmt", || {
        cmd::run(cmd::cargo().args(["fmt", "--all", "--", "--check"]))?;
        Ok(String::new())
    });
    interrupted()?;
    tally.run("clippy", || clippy(route.as_ref().ok().copied()));
    interrupted()?;
    tally.run("tests", || {
        let services = services.get_or_insert_with(|| Services::start(paths, Kind::Test));
        let services = services
            .as_ref()
            .map_err(|e| anyhow!("services did not start: {e:#}"))?;
        let mut nextest = cmd::cargo();
        nextest.args([
            "nextest",
            "run",
            "--workspace",
            "--exclude",
            "frontend",
            "--no-fail-fast",
        ]);
        cmd::run(with_services(&mut nextest, services))?;
        Ok(String::new())
    });
    interrupted()?;
    let site_built = tally.run("wasm", || {
        let route = route
            .as_ref()
            .map_err(|e| anyhow!("no wasm toolchain: {e:#}"))?;
        site::build(paths, *route)?;
        Ok(format!("route {}", route.name()))
    });
    interrupted()?;
    tally.run("shell", || shell::check(paths));
    interrupted()?;
    tally.run("proxmoxer", || proxmoxer(paths));
    interrupted()?;
    tally.run("e2e", || {
        if !site_built {
            bail!("the site did not build (wasm stage)");
        }
        let services = services.get_or_insert_with(|| Services::start(paths, Kind::Test));
        let services = services
            .as_ref()
            .map_err(|e| anyhow!("services did not start: {e:#}"))?;
        e2e(paths, services)
    });
    // Stop and delete the private instances before the closing line.
    drop(services);
    println!("\n{}", tally.closing_line());
    Ok(tally.failed == 0)
}

/// `cargo xtask e2e`: the site and the Playwright suite alone, for working on a spec.
pub fn e2e_only(paths: &Paths, args: &Args) -> Result<bool> {
    install::ensure(
        paths,
        Needs {
            services: true,
            site: true,
            test_tools: true,
            sandboxes: true,
        },
    )?;
    let route = route::resolve(args.route)?;
    let mut tally = Tally::default();
    let services = Services::start(paths, Kind::Test)?;
    let built = tally.run("wasm", || {
        site::build(paths, route)?;
        Ok(format!("route {}", route.name()))
    });
    if built {
        tally.run("e2e", || e2e(paths, &services));
    }
    drop(services);
    println!("\n{}", tally.closing_line());
    Ok(tally.failed == 0)
}

/// Ctrl-C between stages ends the run (the running stage's cargo got the signal too).
fn interrupted() -> Result<()> {
    if proc::stop_requested() {
        bail!("interrupted");
    }
    Ok(())
}

fn clippy(route: Option<Route>) -> Result<String> {
    let mut native = cmd::cargo();
    native.args([
        "clippy",
        "--workspace",
        "--exclude",
        "frontend",
        "--all-targets",
    ]);
    native.args(["--", "-D", "warnings"]);
    let native = cmd::run(&mut native);
    // Without a wasm toolchain the hydrate side is still linted, natively.
    let route = route.unwrap_or(Route::Debian);
    let hydrate = cmd::run(&mut route.frontend_clippy());
    native?;
    hydrate?;
    Ok(format!(
        "frontend {}",
        if route == Route::Rustup {
            "for wasm32"
        } else {
            "native"
        }
    ))
}

pub fn with_services<'a>(command: &'a mut Command, services: &Services) -> &'a mut Command {
    // The chaos test starts Postgres servers of its own, to restart them.
    if let Some(bin) = crate::postgres::bin_dir() {
        command.env("BERTH_TEST_PG_BIN", bin);
    }
    command
        .env("BERTH_TEST_DATABASE_URL", &services.database_url)
        .env("BERTH_TEST_REDIS_URL", &services.redis_url)
}

fn e2e(paths: &Paths, services: &Services) -> Result<String> {
    // Before the build: without the suite there is nothing to build for.
    playwright::cli(paths)?;
    let built = binaries::build(paths, false, binaries::Scope::LikeTests)?;
    let mut args = Vec::new();
    if let Ok(grep) = std::env::var("BERTH_E2E_GREP")
        && !grep.is_empty()
    {
        args.extend(["--grep".to_string(), grep]);
    }
    let run = playwright::Run {
        args,
        sim_dir: "e2e-pve-sim",
        sandboxes: true,
        results: "test-results",
    };
    playwright::run(paths, services, &built, run).map(|()| String::new())
}

/// The independent client: proxmoxer (Python) drives the simulator over HTTPS with a token and
/// a ticket, and checks the real reason phrases and error bodies.
fn proxmoxer(paths: &Paths) -> Result<String> {
    let suite = paths.repo.join("crates/pve-sim/tests/proxmoxer");
    let bin = python::venv(paths, &suite.join("requirements.txt"))?;
    let built = binaries::build(paths, false, binaries::Scope::LikeTests)?;
    let dir = paths.repo.join(".berth/test/proxmoxer-pve-sim");
    let _ = std::fs::remove_dir_all(&dir);
    let sim = pve_sim::start(&built.pve_sim, &dir, 0.05, Ssh::Off)?;
    let auditor = sim
        .tokens
        .iter()
        .find(|t| t.starts_with("auditor@pve!"))
        .cloned()
        .unwrap_or_default();
    let mut pytest = Command::new(bin.join("pytest"));
    pytest
        .args(["-q", "-p", "no:cacheprovider"])
        .arg(suite.join("test_proxmoxer.py"))
        .env("PVE_SIM_URL", &sim.url)
        .env("PVE_SIM_CA", &sim.ca_file)
        .env("PVE_SIM_TOKEN", &sim.token)
        .env("PVE_SIM_AUDITOR_TOKEN", auditor)
        .env(
            "PVE_SIM_SEED",
            paths.repo.join("crates/pve-sim/seed/default.toml"),
        );
    let outcome = cmd::run(&mut pytest).context("pytest (proxmoxer)");
    drop(sim);
    let _ = std::fs::remove_dir_all(&dir);
    outcome.map(|_| "proxmoxer 2.3.0 against berth-pve-sim".to_string())
}
