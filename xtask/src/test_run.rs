//! `cargo xtask test`: fmt, clippy, tests, wasm, shell, e2e — every stage summarised, then a total.

use std::process::Command;

use anyhow::{Context, Result, anyhow, bail};

use crate::args::Args;
use crate::install::{self, Needs};
use crate::paths::Paths;
use crate::route::{self, Route};
use crate::services::{Kind, Services};
use crate::stage::Tally;
use crate::{binaries, cmd, proc, shell, site};

/// Runs every stage; returns whether all passed.
pub fn task(paths: &Paths, args: &Args) -> Result<bool> {
    install::ensure(
        paths,
        Needs {
            services: true,
            site: true,
            test_tools: true,
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

fn with_services<'a>(command: &'a mut Command, services: &Services) -> &'a mut Command {
    command
        .env("BERTH_TEST_DATABASE_URL", &services.database_url)
        .env("BERTH_TEST_REDIS_URL", &services.redis_url)
}

fn e2e(paths: &Paths, services: &Services) -> Result<String> {
    let dir = paths.end2end();
    if !dir.join("package.json").exists() {
        bail!("end2end/package.json is missing: there is no Playwright suite");
    }
    let playwright = paths.npm_bin("playwright");
    if !cmd::is_executable(&playwright) {
        bail!(
            "{} is missing (did `npm ci` run?)",
            paths.display(&playwright)
        );
    }
    let built = binaries::build(paths, false, binaries::Scope::LikeTests)?;
    let mut command = Command::new(&playwright);
    command.arg("test").current_dir(&dir);
    command
        .env("BERTH_E2E_SERVER_BIN", &built.server)
        .env("BERTH_E2E_WORKER_BIN", &built.worker)
        .env("BERTH_E2E_SITE_ROOT", paths.site())
        .env("BERTH_E2E_CHROMIUM", "/usr/bin/chromium");
    cmd::run(with_services(&mut command, services)).context("playwright")?;
    Ok(String::new())
}
