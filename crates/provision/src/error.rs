//! What a stage can fail with, and whether trying again may help.

use berth_db::catalog::CatalogError;
use berth_db::runs::RunError;
use berth_jobs::{Classify, ErrorClass, QueueError};
use berth_pve::{ApiErrorKind, Error as PveError};

#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    /// A Proxmox call or task failed; the text names what (e.g. the missing privilege of a 403).
    #[error("{0}")]
    Pve(#[from] PveError),
    #[error("database: {0}")]
    Run(#[from] RunError),
    #[error("template: {0}")]
    Catalog(#[from] CatalogError),
    #[error("job queue: {0}")]
    Queue(#[from] QueueError),
    /// The run's template version is gone.
    #[error("template {name} has no version {version}")]
    TemplateMissing { name: String, version: i32 },
    /// The stored spec or checkpoint does not read, or breaks the template's rules.
    #[error("the run's spec is invalid: {0}")]
    InvalidSpec(String),
    /// Something already uses this VMID in Proxmox.
    #[error("VMID {vmid} is already used in Proxmox{}", .node.as_ref().map(|n| format!(" (on node {n})")).unwrap_or_default())]
    VmidInUse { vmid: u32, node: Option<String> },
    /// Another unfinished Berth run holds this VMID.
    #[error("VMID {0} is reserved by another Berth run")]
    VmidReserved(u32),
    /// This many ids after Proxmox's next free one were taken in Proxmox.
    #[error("no free VMID found: {0} ids after Proxmox's next free one were taken")]
    NoFreeVmid(u32),
    #[error("node {0} is not part of the cluster")]
    UnknownNode(String),
    #[error("no node is online{}", .0.as_ref().map(|n| format!(" (wanted {n})")).unwrap_or_default())]
    NoOnlineNode(Option<String>),
    /// Every creation slot of the node stayed taken for the whole wait.
    #[error("node {0} is busy with other creations")]
    NodeBusy(String),
    /// A CT exists at the reserved VMID but carries another run's tag (or none).
    #[error("CT {vmid} on {node} was not created by this run (tags: {tags})")]
    NotOurs {
        vmid: u32,
        node: String,
        tags: String,
    },
    /// A creation an earlier attempt started (not saved as a task) ended without a container.
    #[error("the earlier creation of CT {0} failed; it will be created again")]
    CreationVanished(u32),
    /// A creation an earlier attempt started is still locking the container.
    #[error("CT {0} is still being created")]
    StillCreating(u32),
    #[error("CT {vmid} did not get an address within {waited_secs} s")]
    NoAddress { vmid: u32, waited_secs: u64 },
    #[error("CT {vmid} has address {found}, not the configured {expected}")]
    WrongAddress {
        vmid: u32,
        expected: String,
        found: String,
    },
    /// The spec asks for something this pipeline cannot do yet.
    #[error("not supported yet: {0}")]
    Unsupported(String),
    /// SSH to the container (or its node) did not work: worth another attempt.
    #[error("{0}")]
    Exec(#[from] crate::exec::ExecError),
    /// A command in the container ran and failed (a package install, a script): running it
    /// again as it is would fail the same way, so the operator decides (retry from the stage).
    #[error("{what} failed with {code}{}", if .output.is_empty() { String::new() } else { format!(": {}", .output) })]
    CommandFailed {
        what: String,
        code: String,
        /// The last lines it wrote (stderr, or stdout when stderr was empty).
        output: String,
    },
    /// The template's health check kept failing until its deadline.
    #[error("health check failed: {0}")]
    Unhealthy(String),
    /// A stage ran without what an earlier stage should have saved (a bug, or a hand-edited run).
    #[error("checkpoint is missing {0}")]
    MissingCheckpoint(&'static str),
}

impl ProvisionError {
    /// The claim on the run went to another worker: stop at once and write nothing more.
    pub fn is_claim_lost(&self) -> bool {
        matches!(self, ProvisionError::Run(RunError::ClaimLost))
    }

    /// Proxmox VE did not answer at all (see [`PveError::is_no_answer`]).
    pub fn is_proxmox_silent(&self) -> bool {
        matches!(self, ProvisionError::Pve(error) if error.is_no_answer())
    }
}

impl Classify for ProvisionError {
    fn class(&self) -> ErrorClass {
        use ErrorClass::{Retryable, Terminal};
        match self {
            ProvisionError::Pve(error) => pve_class(error),
            ProvisionError::Run(error) => match error {
                RunError::Db(_) => Retryable,
                _ => Terminal,
            },
            ProvisionError::Catalog(CatalogError::Db(_)) => Retryable,
            ProvisionError::Catalog(_) => Terminal,
            ProvisionError::Queue(_) => Retryable,
            ProvisionError::Exec(crate::exec::ExecError::Invalid(_)) => Terminal,
            ProvisionError::Exec(_) => Retryable,
            ProvisionError::CommandFailed { .. } | ProvisionError::Unhealthy(_) => Terminal,
            ProvisionError::NoOnlineNode(_)
            | ProvisionError::NodeBusy(_)
            | ProvisionError::CreationVanished(_)
            | ProvisionError::StillCreating(_)
            | ProvisionError::NoAddress { .. } => Retryable,
            ProvisionError::TemplateMissing { .. }
            | ProvisionError::InvalidSpec(_)
            | ProvisionError::VmidInUse { .. }
            | ProvisionError::VmidReserved(_)
            | ProvisionError::NoFreeVmid(_)
            | ProvisionError::UnknownNode(_)
            | ProvisionError::NotOurs { .. }
            | ProvisionError::WrongAddress { .. }
            | ProvisionError::Unsupported(_)
            | ProvisionError::MissingCheckpoint(_) => Terminal,
        }
    }
}

/// Network trouble, 5xx (lock timeouts come as 500), failed or slow tasks: worth another attempt,
/// because every stage observes before it acts. Refusals (400, 401, 403, 404) stay refusals.
fn pve_class(error: &PveError) -> ErrorClass {
    match error {
        PveError::Connect { .. }
        | PveError::Timeout { .. }
        | PveError::Transport { .. }
        | PveError::TaskFailed(_)
        | PveError::TaskTimeout { .. } => ErrorClass::Retryable,
        PveError::Api(api) => match api.kind() {
            ApiErrorKind::Server | ApiErrorKind::NodeUnreachable => ErrorClass::Retryable,
            ApiErrorKind::Other if api.status >= 500 => ErrorClass::Retryable,
            _ => ErrorClass::Terminal,
        },
        PveError::Config(_)
        | PveError::Certificate { .. }
        | PveError::Decode { .. }
        | PveError::NeedTfa { .. } => ErrorClass::Terminal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_pve::{ApiError, Method};
    use std::collections::BTreeMap;

    fn api(status: u16, text: &str) -> ProvisionError {
        ProvisionError::Pve(PveError::from(ApiError {
            method: Method::Post,
            path: "/nodes/pve1/lxc".into(),
            status,
            reason: text.into(),
            message: Some(text.into()),
            errors: BTreeMap::new(),
        }))
    }

    #[test]
    fn refusals_are_terminal_and_server_trouble_is_retryable() {
        let denied = api(403, "Permission check failed (/vms/120, VM.Allocate)");
        assert_eq!(denied.class(), ErrorClass::Terminal);
        assert!(denied.to_string().contains("VM.Allocate"));
        assert_eq!(
            api(400, "Parameter verification failed.").class(),
            ErrorClass::Terminal
        );
        let lock = api(
            500,
            "can't lock file '/run/lock/lxc/pve-config-120.lock' - got timeout",
        );
        assert_eq!(lock.class(), ErrorClass::Retryable);
        assert_eq!(api(503, "busy").class(), ErrorClass::Retryable);
        assert_eq!(api(595, "No route to host").class(), ErrorClass::Retryable);
        let in_use = ProvisionError::VmidInUse {
            vmid: 150,
            node: Some("pve1".into()),
        };
        assert_eq!(in_use.class(), ErrorClass::Terminal);
        assert_eq!(
            in_use.to_string(),
            "VMID 150 is already used in Proxmox (on node pve1)"
        );
        assert!(ProvisionError::Run(RunError::ClaimLost).is_claim_lost());
    }
}
