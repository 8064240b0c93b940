//! The stages of a run, one module each. Every stage observes Proxmox (and its checkpoint)
//! before it acts, so running it again after a crash or a retry converges instead of repeating.

mod connect;
mod create_container;
pub mod create_request;
mod install_packages;
mod node;
mod push_files;
mod reserve_vmid;
mod run_scripts;
mod shell;
mod start_container;
mod verify;
mod wait_for_address;

use crate::context::RunContext;
use crate::error::ProvisionError;
use berth_domain::run::Stage;

/// The stages that need only the Proxmox API: everything up to a running container with an
/// address. A worker without an SSH key runs these and stops a run before `connect`.
pub const PROXMOX_STAGES: [Stage; 4] = [
    Stage::ReserveVmid,
    Stage::CreateContainer,
    Stage::StartContainer,
    Stage::WaitForAddress,
];

/// Every stage: what a worker with an SSH key runs.
pub const ALL_STAGES: [Stage; 9] = Stage::ALL;

/// Runs one stage.
pub(crate) async fn execute(stage: Stage, ctx: &mut RunContext) -> Result<(), ProvisionError> {
    match stage {
        Stage::ReserveVmid => reserve_vmid::run(ctx).await,
        Stage::CreateContainer => create_container::run(ctx).await,
        Stage::StartContainer => start_container::run(ctx).await,
        Stage::WaitForAddress => wait_for_address::run(ctx).await,
        Stage::Connect => connect::run(ctx).await,
        Stage::InstallPackages => install_packages::run(ctx).await,
        Stage::PushFiles => push_files::run(ctx).await,
        Stage::RunScripts => run_scripts::run(ctx).await,
        Stage::Verify => verify::run(ctx).await,
    }
}
