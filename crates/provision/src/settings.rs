//! The knobs of a provisioning worker: how long to wait for Proxmox, how many creations a node
//! takes at once.

use crate::script_env::ScriptEnv;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Settings {
    /// This worker's name, recorded with its claims (e.g. `host:pid`).
    pub worker: String,
    /// Creations at once per Proxmox node, across all workers: more run into its lock timeouts.
    pub creations_per_node: u32,
    /// How long a run waits for a creation slot on its node before it retries later.
    pub slot_wait: Duration,
    /// How long a slot lasts without renewal: the holder renews it every third of this while it
    /// creates, and a crashed worker's slot comes free after it.
    pub slot_ttl: Duration,
    /// How long a `vzcreate` task may take (template extraction can be slow).
    pub create_deadline: Duration,
    /// How long a `vzstart` task may take.
    pub start_deadline: Duration,
    /// How long a started container may take to report its address.
    pub address_deadline: Duration,
    /// How often the interfaces are read while waiting for the address.
    pub address_poll: Duration,
    /// Ids found taken in Proxmox, one after the other, before a run gives up looking for a free
    /// one (ids other runs reserved are stepped past without counting).
    pub vmid_tries: u32,
    /// SSH into containers; `None` stops runs before `connect` (a worker without a key).
    pub exec: Option<ExecSettings>,
    /// How long a stage waits for a Proxmox VE that gives no answer at all (an outage) before
    /// the attempt counts as failed; while it waits, the run keeps its lease and attempt.
    pub outage_wait: Duration,
    /// The site's variables (mirrors, proxies) for package installs and template scripts.
    pub script_env: ScriptEnv,
}

impl Settings {
    pub fn new(worker: impl Into<String>) -> Self {
        Self {
            worker: worker.into(),
            creations_per_node: 2,
            slot_wait: Duration::from_secs(60),
            slot_ttl: Duration::from_secs(30),
            create_deadline: Duration::from_secs(600),
            start_deadline: Duration::from_secs(120),
            address_deadline: Duration::from_secs(120),
            address_poll: Duration::from_secs(2),
            vmid_tries: 32,
            exec: None,
            outage_wait: Duration::from_secs(15 * 60),
            script_env: ScriptEnv::default(),
        }
    }
}

/// How the worker reaches into containers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecMode {
    /// `ssh root@<container address>` with Berth's key, injected at create.
    Direct,
    /// `ssh <user>@<node>` and `pct exec` / `pct push` there.
    Node,
}

/// SSH settings for the stages that run commands in a container.
#[derive(Debug, Clone)]
pub struct ExecSettings {
    pub mode: ExecMode,
    /// Berth's private key: offered to containers (direct) or to nodes (node).
    pub key_file: PathBuf,
    /// Its public half, added to every container's `ssh-public-keys` at create (direct mode).
    pub public_key: Option<String>,
    /// The containers' SSH port (direct mode).
    pub container_port: u16,
    /// How to reach each node (node mode): name → host; a node not listed is reached by its name.
    pub node_hosts: BTreeMap<String, String>,
    pub node_port: u16,
    pub node_user: String,
    /// The nodes' host keys (node mode; checked strictly).
    pub node_known_hosts: PathBuf,
    /// Where per-run known-hosts files for containers are kept: a container's host key is
    /// trusted when first seen by its run, then pinned for the rest of the run.
    pub state_dir: PathBuf,
    pub connect_timeout: Duration,
    /// How long a new container's SSH server may take to answer.
    pub connect_deadline: Duration,
    /// How long a bucket's installation may take.
    pub package_timeout: Duration,
    /// How long the health check may keep failing before the run fails.
    pub verify_deadline: Duration,
}

impl ExecSettings {
    /// Direct mode with `key_file`, state under `state_dir`, and default limits.
    pub fn direct(key_file: impl Into<PathBuf>, state_dir: impl Into<PathBuf>) -> Self {
        let state_dir = state_dir.into();
        Self {
            mode: ExecMode::Direct,
            key_file: key_file.into(),
            public_key: None,
            container_port: 22,
            node_hosts: BTreeMap::new(),
            node_port: 22,
            node_user: "root".into(),
            node_known_hosts: state_dir.join("node_known_hosts"),
            state_dir,
            connect_timeout: Duration::from_secs(10),
            connect_deadline: Duration::from_secs(120),
            package_timeout: Duration::from_secs(1800),
            verify_deadline: Duration::from_secs(120),
        }
    }

    pub fn node_host(&self, node: &str) -> String {
        self.node_hosts
            .get(node)
            .cloned()
            .unwrap_or_else(|| node.to_string())
    }
}
