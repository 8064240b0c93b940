//! Playwright in end2end/ against built binaries and site, with the Proxmox VE simulator as
//! Berth's backend: the e2e suite (`test`, `e2e`) and the hydration bench (`bench`).

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::binaries::Binaries;
use crate::paths::Paths;
use crate::pve_sim::{self, Ssh};
use crate::services::Services;
use crate::test_run::with_services;
use crate::{cmd, sim_ssh};

/// One Playwright run.
pub struct Run<'a> {
    /// After `playwright test`: a config, a grep.
    pub args: Vec<String>,
    /// The simulator's state, under `.berth/test/`; removed before and after.
    pub sim_dir: &'a str,
    /// Sandboxes behind the simulator's sshd when the machine allows, so that runs go through
    /// every stage (the harness gives its worker a key for them).
    pub sandboxes: bool,
    /// Where the simulator's log is kept afterwards, beside the server's and worker's, under
    /// end2end/.
    pub results: &'a str,
}

/// The Playwright CLI of end2end/, or why there is none.
pub fn cli(paths: &Paths) -> Result<PathBuf> {
    if !paths.end2end().join("package.json").exists() {
        bail!("end2end/package.json is missing: there is no Playwright suite");
    }
    let playwright = paths.npm_bin("playwright");
    if !cmd::is_executable(&playwright) {
        bail!(
            "{} is missing (did `npm ci` run?)",
            paths.display(&playwright)
        );
    }
    Ok(playwright)
}

pub fn run(paths: &Paths, services: &Services, built: &Binaries, run: Run) -> Result<()> {
    let playwright = cli(paths)?;
    let dir = paths.end2end();
    let sim_dir = paths.repo.join(".berth/test").join(run.sim_dir);
    let _ = std::fs::remove_dir_all(&sim_dir);
    let ssh = match (run.sandboxes, sim_ssh::unavailable(&built.pve_sim)) {
        (false, _) => Ssh::Off,
        (true, None) => Ssh::On,
        (true, Some(why)) => {
            println!("e2e: the worker runs without an SSH key (no container sandboxes: {why})");
            Ssh::Off
        }
    };
    let sim = pve_sim::start(&built.pve_sim, &sim_dir, 0.05, ssh)?;
    let mut command = Command::new(&playwright);
    command.arg("test").args(&run.args).current_dir(&dir);
    command
        .env("BERTH_E2E_SERVER_BIN", &built.server)
        .env("BERTH_E2E_WORKER_BIN", &built.worker)
        .env("BERTH_E2E_SITE_ROOT", paths.site())
        .env("BERTH_E2E_CHROMIUM", "/usr/bin/chromium");
    // The harness hands these to berth-server as BERTH_PVE_*.
    for (key, value) in sim.berth_env() {
        command.env(key.replace("BERTH_", "BERTH_E2E_"), value);
    }
    if let Some(ssh) = &sim.ssh {
        command
            .env("BERTH_E2E_PVE_SSH_PORT", ssh.port.to_string())
            .env("BERTH_E2E_PVE_SSH_NODE_KEY", &ssh.node_key)
            .env("BERTH_E2E_PVE_SSH_HOST_KEY", &ssh.host_key)
            .env("BERTH_E2E_PVE_SSH_KNOWN_HOSTS", &ssh.known_hosts)
            .env("BERTH_E2E_PVE_SANDBOX_DIR", &ssh.sandbox_dir);
    }
    let outcome = cmd::run(with_services(&mut command, services)).context("playwright");
    drop(sim);
    let _ = std::fs::copy(
        sim_dir.join("pve-sim.log"),
        dir.join(run.results).join("pve-sim.log"),
    );
    let _ = std::fs::remove_dir_all(&sim_dir);
    outcome
}
