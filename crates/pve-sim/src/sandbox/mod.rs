//! Sandboxes (with `SimOptions::sandbox_dir`): every created container gets a real root
//! filesystem in `<sandbox_dir>/<vmid>/rootfs`, in which `berth-ct-exec` runs commands with
//! bubblewrap, and a `meta.json` that follows the state (running, hostname, addresses).
//! The sandbox dir belongs to the simulator: a numbered directory the state has no container
//! for is removed.

mod etc;
mod host_copy;
mod init;
pub mod jail;
pub mod meta;
mod rootfs;

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use anyhow::Context as _;

pub use meta::{Meta, ct_dir, rootfs_dir};
pub(crate) use rootfs::RootfsSpec;

use crate::state::SimState;

/// The sandboxes of one simulator.
#[derive(Debug)]
pub(crate) struct Sandboxes {
    dir: PathBuf,
    /// The containers whose rootfs is built, with the meta last written for each.
    built: Mutex<BTreeMap<u32, Option<Meta>>>,
    inits: init::Inits,
    /// The containers whose init runs.
    booted: Mutex<BTreeSet<u32>>,
}

impl Sandboxes {
    /// Opens (creating) the sandbox dir and brings it in line with a state loaded at start:
    /// sandboxes of containers the state lacks go, and containers that lack one get one —
    /// without SSH keys, which PVE does not keep either.
    pub fn open(dir: &Path, state: &SimState) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        for vmid in meta::vmids_in(dir)? {
            let ct = ct_dir(dir, vmid);
            let stale = if state.containers.contains_key(&vmid) {
                ct.join("rootfs.partial")
            } else {
                ct
            };
            if stale.exists() {
                std::fs::remove_dir_all(&stale)
                    .with_context(|| format!("removing {}", stale.display()))?;
            }
        }
        let mut built = BTreeMap::new();
        // A create that never finished (the simulator stopped meanwhile) has no tree.
        for ct in state
            .containers
            .values()
            .filter(|ct| ct.lock() != Some("create"))
        {
            if !rootfs_dir(dir, ct.vmid).is_dir() {
                let ostype = ct.config.get("ostype").map_or("unknown", String::as_str);
                let spec = RootfsSpec {
                    hostname: &ct.name(),
                    ostemplate: ostype,
                    ssh_keys: None,
                    today: today(),
                    mount_paths: ct.mount_paths(),
                };
                rootfs::build(&ct_dir(dir, ct.vmid), &spec)
                    .with_context(|| format!("building the sandbox of CT {}", ct.vmid))?;
            }
            built.insert(ct.vmid, None);
        }
        let sandboxes = Self {
            dir: dir.to_path_buf(),
            built: Mutex::new(built),
            inits: init::Inits::new().context("starting the sandboxes' init thread")?,
            booted: Mutex::new(BTreeSet::new()),
        };
        sandboxes.sync(state);
        Ok(sandboxes)
    }

    /// Builds the rootfs of a container being created; its meta follows at the next change.
    pub fn build(&self, vmid: u32, spec: &RootfsSpec<'_>) -> io::Result<()> {
        rootfs::build(&ct_dir(&self.dir, vmid), spec)?;
        self.built
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(vmid, None);
        Ok(())
    }

    /// Brings every `meta.json` in step with the state, starts and stops the inits of
    /// containers that started or stopped, and removes the sandboxes of containers that are
    /// gone. Runs under the state lock after each change, so that a task is not seen finished
    /// before its effect on the sandbox is visible.
    pub fn sync(&self, state: &SimState) {
        let mut built = self.built.lock().unwrap_or_else(PoisonError::into_inner);
        let mut booted = self.booted.lock().unwrap_or_else(PoisonError::into_inner);
        built.retain(|vmid, _| {
            if state.containers.contains_key(vmid) {
                return true;
            }
            let dir = ct_dir(&self.dir, *vmid);
            if booted.remove(vmid) {
                self.inits.stop(*vmid, &dir);
            }
            if let Err(e) = std::fs::remove_dir_all(&dir) {
                tracing::warn!(error = %e, dir = %dir.display(), "removing a sandbox failed");
            }
            false
        });
        for (vmid, last) in built.iter_mut() {
            let Some(ct) = state.containers.get(vmid) else {
                continue;
            };
            let meta = Meta::of(ct);
            if last.as_ref() == Some(&meta) {
                continue;
            }
            if let Some(previous) = last.as_ref()
                && previous.hostname != meta.hostname
                && let Err(e) = rootfs::set_hostname(&rootfs_dir(&self.dir, *vmid), &meta.hostname)
            {
                tracing::warn!(error = %e, vmid, "writing /etc/hostname of a sandbox failed");
            }
            if let Err(e) = meta.save(&self.dir) {
                tracing::warn!(error = %e, vmid, "writing a sandbox's meta.json failed");
            }
            self.boot_or_halt(&mut booted, &meta);
            *last = Some(meta);
        }
    }

    /// Starts the init of a container that runs without one, stops that of one that stopped.
    fn boot_or_halt(&self, booted: &mut BTreeSet<u32>, meta: &Meta) {
        let dir = ct_dir(&self.dir, meta.vmid);
        if meta.running && booted.insert(meta.vmid) {
            let boot = init::Boot {
                vmid: meta.vmid,
                ct_dir: dir,
                hostname: meta.hostname.clone(),
                ipv4: meta.ipv4.first().cloned(),
            };
            if let Err(e) = self.inits.start(boot) {
                tracing::warn!(error = %e, vmid = meta.vmid, "starting a sandbox's init failed");
            }
        } else if !meta.running && booted.remove(&meta.vmid) {
            self.inits.stop(meta.vmid, &dir);
        }
    }
}

/// Days since the epoch (the "last changed" field of `/etc/shadow`).
pub(crate) fn today() -> i64 {
    crate::sim::now() / 86_400
}
