//! The stages of a provisioning run, in the order the pipeline runs them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// A VMID unique in Berth and free in Proxmox.
    ReserveVmid,
    /// `POST /nodes/{node}/lxc`, tagged `berth-run-<id>`; the task's UPID is saved first.
    CreateContainer,
    StartContainer,
    /// Until the container reports an address on its first interface.
    WaitForAddress,
    /// SSH into the container with the key injected at create.
    Connect,
    InstallPackages,
    PushFiles,
    RunScripts,
    /// The template's health check.
    Verify,
}

impl Stage {
    pub const ALL: [Stage; 9] = [
        Stage::ReserveVmid,
        Stage::CreateContainer,
        Stage::StartContainer,
        Stage::WaitForAddress,
        Stage::Connect,
        Stage::InstallPackages,
        Stage::PushFiles,
        Stage::RunScripts,
        Stage::Verify,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Stage::ReserveVmid => "reserve_vmid",
            Stage::CreateContainer => "create_container",
            Stage::StartContainer => "start_container",
            Stage::WaitForAddress => "wait_for_address",
            Stage::Connect => "connect",
            Stage::InstallPackages => "install_packages",
            Stage::PushFiles => "push_files",
            Stage::RunScripts => "run_scripts",
            Stage::Verify => "verify",
        }
    }

    pub fn from_key(key: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::ReserveVmid => "Reserve VMID",
            Stage::CreateContainer => "Create container",
            Stage::StartContainer => "Start container",
            Stage::WaitForAddress => "Wait for an address",
            Stage::Connect => "Connect over SSH",
            Stage::InstallPackages => "Install packages",
            Stage::PushFiles => "Push files",
            Stage::RunScripts => "Run scripts",
            Stage::Verify => "Verify",
        }
    }

    /// The stage after this one, if any.
    pub fn next(self) -> Option<Stage> {
        let at = Stage::ALL.iter().position(|s| *s == self)?;
        Stage::ALL.get(at + 1).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_ordered_and_round_trip() {
        let mut walked = vec![Stage::ReserveVmid];
        while let Some(next) = walked.last().and_then(|s| s.next()) {
            walked.push(next);
        }
        assert_eq!(walked, Stage::ALL);
        assert!(Stage::ALL.windows(2).all(|w| w[0] < w[1]));
        for stage in Stage::ALL {
            assert_eq!(Stage::from_key(stage.key()), Some(stage));
            let json = serde_json::to_string(&stage).unwrap();
            assert_eq!(json, format!("\"{}\"", stage.key()));
        }
    }
}
