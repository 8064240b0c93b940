//! The knobs of a provisioning worker: how long to wait for Proxmox, how many creations a node
//! takes at once.

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
    /// Candidates tried when another run holds the VMID Proxmox proposes.
    pub vmid_tries: u32,
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
        }
    }
}
