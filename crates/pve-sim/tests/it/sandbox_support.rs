//! Shared by the sandbox tests: a simulator with a sandbox dir, containers created with a key,
//! and `berth-ct-exec` run as a node would run `pct`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use berth_pve_sim::RunningSim;
use reqwest::Method;
use tempfile::TempDir;

use crate::common::*;

pub const CT_EXEC: &str = env!("CARGO_BIN_EXE_berth-ct-exec");

/// A fast simulator whose containers get sandboxes in a temporary directory.
pub struct Sandboxed {
    pub sim: RunningSim,
    pub dir: TempDir,
}

impl Sandboxed {
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut options = fast_options();
        options.sandbox_dir = Some(dir.path().join("sandboxes"));
        let sim = berth_pve_sim::spawn(options).await.unwrap();
        Self { sim, dir }
    }

    /// A simulator with CT 100 created (with [`SOME_KEY`]) and running.
    pub async fn with_running_ct() -> Self {
        let sb = Self::start().await;
        sb.create(100, SOME_KEY, true).await;
        sb
    }

    pub fn sandboxes(&self) -> PathBuf {
        self.dir.path().join("sandboxes")
    }

    pub fn rootfs(&self, vmid: u32) -> PathBuf {
        self.sandboxes().join(vmid.to_string()).join("rootfs")
    }

    pub fn meta(&self, vmid: u32) -> serde_json::Value {
        let path = self.sandboxes().join(vmid.to_string()).join("meta.json");
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    }

    /// Creates CT `vmid` on pve1 (dhcp, hostname web-1) with `key` for root, started or not.
    pub async fn create(&self, vmid: u32, key: &str, start: bool) {
        let vmid = vmid.to_string();
        let upid = post(
            &self.sim,
            "/nodes/pve1/lxc",
            &[
                ("vmid", vmid.as_str()),
                ("ostemplate", DEBIAN),
                ("rootfs", "local-lvm:8"),
                ("hostname", "web-1"),
                ("net0", "name=eth0,bridge=vmbr0,ip=dhcp"),
                ("ssh-public-keys", key),
                ("start", if start { "1" } else { "0" }),
            ],
        )
        .await
        .data();
        let st = wait_task(&self.sim, "pve1", upid.as_str().unwrap()).await;
        assert_eq!(st["exitstatus"], "OK");
        if start {
            // create's `start=1` forks a vzstart task of its own.
            for _ in 0..500 {
                if self.meta(vmid.parse().unwrap())["running"] == true {
                    return;
                }
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
            panic!("CT {vmid} did not start");
        }
    }

    /// Runs a power action (`start`, `stop`…) and waits for it.
    pub async fn power(&self, vmid: u32, action: &str) {
        let path = format!("/nodes/pve1/lxc/{vmid}/status/{action}");
        assert_eq!(run_task(&self.sim, &path, &[]).await, "OK");
    }

    /// `pct exec <vmid> -- <command…>` on pve1.
    pub fn exec(&self, vmid: u32, command: &[&str]) -> Output {
        let vmid = vmid.to_string();
        let mut args = vec!["exec", vmid.as_str(), "--"];
        args.extend_from_slice(command);
        self.pct("pve1", &args)
    }

    /// `pct …` on node `node`, the way a node's shell runs it.
    pub fn pct(&self, node: &str, args: &[&str]) -> Output {
        pct_command(&self.sandboxes(), node)
            .args(args)
            .output()
            .unwrap()
    }
}

/// Destroys CT `vmid` on pve1 and waits for the task.
pub async fn destroy(sim: &RunningSim, vmid: u32) {
    let path = format!("/nodes/pve1/lxc/{vmid}");
    let upid = call(sim, PROVISIONER, Method::DELETE, &path, &[])
        .await
        .data();
    let st = wait_task(sim, "pve1", upid.as_str().unwrap()).await;
    assert_eq!(st["exitstatus"], "OK");
}

pub fn pct_command(sandboxes: &Path, node: &str) -> Command {
    let mut command = Command::new(CT_EXEC);
    command
        .arg("pct")
        .env("BERTH_SIM_NODE", node)
        .env("BERTH_SIM_SANDBOX_DIR", sandboxes);
    command
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A public key line that is valid for the create call (its holder is never used).
pub const SOME_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE1Hnq9Q0mQ3gYd0wq6cQvC3xq5cJm2cVbqkGQ7wCz5Q test@berth";
