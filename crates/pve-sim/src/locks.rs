//! The config flock (`/run/lock/lxc/pve-config-<vmid>.lock`) of pve-guest-common, simulated per vmid.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::OwnedMutexGuard;

use crate::sim::Sim;

/// One async mutex per vmid; holders keep the guard for as long as the real code holds the flock.
#[derive(Debug, Default)]
pub struct Flocks {
    locks: Mutex<HashMap<u32, Arc<tokio::sync::Mutex<()>>>>,
}

/// The error `lock_file_full` dies with on timeout.
pub fn timeout_message(vmid: u32) -> String {
    format!("can't lock file '/run/lock/lxc/pve-config-{vmid}.lock' - got timeout\n")
}

impl Flocks {
    fn entry(&self, vmid: u32) -> Arc<tokio::sync::Mutex<()>> {
        self.locks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(vmid)
            .or_default()
            .clone()
    }

    /// Takes the flock, waiting at most `timeout_secs` (simulated; 10 s for `lock_config`, 5 s for
    /// the create stub). The `lock_timeout` fault makes every attempt time out.
    pub async fn lock(
        &self,
        sim: &Sim,
        vmid: u32,
        timeout_secs: f64,
    ) -> Result<OwnedMutexGuard<()>, String> {
        let wait = sim.scaled(timeout_secs);
        if sim.faults().lock_timeout {
            tokio::time::sleep(wait).await;
            return Err(timeout_message(vmid));
        }
        tokio::time::timeout(wait, self.entry(vmid).lock_owned())
            .await
            .map_err(|_| timeout_message(vmid))
    }
}
