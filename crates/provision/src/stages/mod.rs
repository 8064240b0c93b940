//! The stages of a run, one module each. Every stage observes Proxmox (and its checkpoint)
//! before it acts, so running it again after a crash or a retry converges instead of repeating.

mod create_container;
pub mod create_request;
mod node;
mod reserve_vmid;
mod start_container;
mod wait_for_address;

use crate::context::RunContext;
use crate::error::ProvisionError;
use berth_domain::run::Stage;

/// The stages this crate implements: everything up to a running container with an address.
/// The SSH stages (connect, packages, files, scripts, verify) come with the command executor.
pub const PROXMOX_STAGES: [Stage; 4] = [
    Stage::ReserveVmid,
    Stage::CreateContainer,
    Stage::StartContainer,
    Stage::WaitForAddress,
];

/// Runs one stage, or says that this pipeline has no implementation of it.
pub(crate) async fn execute(stage: Stage, ctx: &mut RunContext) -> Result<(), ProvisionError> {
    match stage {
        Stage::ReserveVmid => reserve_vmid::run(ctx).await,
        Stage::CreateContainer => create_container::run(ctx).await,
        Stage::StartContainer => start_container::run(ctx).await,
        Stage::WaitForAddress => wait_for_address::run(ctx).await,
        other => Err(ProvisionError::Unsupported(format!(
            "the {} stage needs the SSH executor",
            other.label()
        ))),
    }
}
