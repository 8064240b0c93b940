//! `cargo xtask chaos`: the reliability suite in its long form, each part printing its table of
//! what was injected and what was lost. `cargo xtask test` runs the same tests in a short form.
//!
//! - the worker chaos test: runs while workers are SIGKILLed and the test's private Redis and
//!   PostgreSQL are restarted (faults for `BERTH_CHAOS_SECS`, 120 here, 40 in `test`);
//! - Proxmox down: the simulator's port refuses connections for `BERTH_CHAOS_OUTAGE_SECS`
//!   (60 here, 10 in `test`) while runs are under way and the status poller feeds the list;
//! - malformed requests to every server function and REST route.

use anyhow::Result;

use crate::args::Args;
use crate::install::{self, Needs};
use crate::paths::Paths;
use crate::services::{Kind, Services};
use crate::test_run::with_services;
use crate::{cmd, proc};

/// One part of the suite: a test of `package` (by filter), what it injects, its environment.
type Part = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const PARTS: [Part; 3] = [
    (
        "worker",
        "chaos::",
        "workers SIGKILLed, Redis and PostgreSQL restarted, for 120 s",
        &[("BERTH_CHAOS_SECS", "120"), ("BERTH_CHAOS_RUNS", "60")],
    ),
    (
        "worker",
        "outage::",
        "Proxmox VE down for 60 s during runs",
        &[("BERTH_CHAOS_OUTAGE_SECS", "60")],
    ),
    (
        "server",
        "malformed::",
        "malformed requests to every server function and REST route",
        &[],
    ),
];

pub fn task(paths: &Paths, _args: &Args) -> Result<bool> {
    install::ensure(
        paths,
        Needs {
            services: true,
            site: false,
            test_tools: false,
            sandboxes: true,
        },
    )?;
    // The runs' commands reach the simulator's containers through this helper binary.
    cmd::run(cmd::cargo().args(["build", "-p", "berth-pve-sim", "--bin", "berth-ct-exec"]))?;
    let services = Services::start(paths, Kind::Test)?;
    let mut verdicts = Vec::new();
    for (package, filter, what, env) in PARTS {
        if proc::stop_requested() {
            break;
        }
        println!("\n== {what}");
        let mut test = cmd::cargo();
        test.args([
            "test",
            "-p",
            package,
            "--test",
            "it",
            filter,
            "--",
            "--nocapture",
        ]);
        test.envs(env.iter().copied());
        let passed = cmd::run(with_services(&mut test, &services)).is_ok();
        verdicts.push((what, passed));
    }
    drop(services);
    println!("\n| reliability suite{:52} | verdict |", "");
    println!("|{:-<70}|---------|", "");
    for (what, passed) in &verdicts {
        let verdict = if *passed { "nothing lost" } else { "FAILED" };
        println!("| {what:<68} | {verdict} |");
    }
    Ok(verdicts.len() == PARTS.len() && verdicts.iter().all(|(_, passed)| *passed))
}
