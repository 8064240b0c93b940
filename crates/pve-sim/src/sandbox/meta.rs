//! `<sandbox_dir>/<vmid>/meta.json`: what `berth-ct-exec` needs to know about a container
//! (which node owns it, whether it runs, its hostname and addresses), kept in step with the state.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::addresses::reported_ipv4;
use crate::state::Container;

/// One container as its sandbox sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub vmid: u32,
    pub node: String,
    pub hostname: String,
    pub running: bool,
    /// The IPv4 addresses (without prefix) of its `netN` interfaces, as it reports them while it
    /// runs; kept while it is stopped so that a connection to a stopped CT can be told apart.
    pub ipv4: Vec<String>,
}

/// `<sandbox_dir>/<vmid>`: everything of one container.
pub fn ct_dir(sandbox_dir: &Path, vmid: u32) -> PathBuf {
    sandbox_dir.join(vmid.to_string())
}

/// `<sandbox_dir>/<vmid>/rootfs`: the container's `/`.
pub fn rootfs_dir(sandbox_dir: &Path, vmid: u32) -> PathBuf {
    ct_dir(sandbox_dir, vmid).join("rootfs")
}

impl Meta {
    /// The sandbox view of a container of the state.
    pub(crate) fn of(ct: &Container) -> Self {
        let ipv4 = ct
            .nets()
            .iter()
            .filter_map(|(key, net)| {
                let idx = key[3..].parse().unwrap_or(0);
                reported_ipv4(net.get("ip").map(String::as_str), ct.vmid, idx, true)
            })
            .map(|cidr| cidr.split('/').next().unwrap_or_default().to_string())
            .collect();
        Self {
            vmid: ct.vmid,
            node: ct.node.clone(),
            hostname: ct.name(),
            running: ct.running,
            ipv4,
        }
    }

    /// The meta of `vmid`; `None` when it has no sandbox.
    pub fn load(sandbox_dir: &Path, vmid: u32) -> io::Result<Option<Self>> {
        let path = ct_dir(sandbox_dir, vmid).join("meta.json");
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Writes `meta.json` through a temporary file and a rename, so readers never see half of it.
    pub(crate) fn save(&self, sandbox_dir: &Path) -> io::Result<()> {
        let dir = ct_dir(sandbox_dir, self.vmid);
        let tmp = dir.join("meta.json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(self)?)?;
        std::fs::rename(&tmp, dir.join("meta.json"))
    }

    /// Every container with a sandbox, in VMID order.
    pub fn all(sandbox_dir: &Path) -> io::Result<Vec<Self>> {
        let mut out = Vec::new();
        for vmid in vmids_in(sandbox_dir)? {
            if let Some(meta) = Self::load(sandbox_dir, vmid)? {
                out.push(meta);
            }
        }
        Ok(out)
    }

    /// The container that reports `address` (running or not).
    pub fn by_address(sandbox_dir: &Path, address: &str) -> io::Result<Option<Self>> {
        Ok(Self::all(sandbox_dir)?
            .into_iter()
            .find(|m| m.ipv4.iter().any(|a| a == address)))
    }
}

/// The VMIDs that have a directory in the sandbox dir.
pub(crate) fn vmids_in(sandbox_dir: &Path) -> io::Result<Vec<u32>> {
    let mut vmids: Vec<u32> = std::fs::read_dir(sandbox_dir)?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    vmids.sort_unstable();
    Ok(vmids)
}
