//! Start container: observe its status (and a start task an earlier attempt saved) first; start
//! it only when it is stopped, and wait for the task.

use crate::checkpoint::Checkpoint;
use crate::context::RunContext;
use crate::error::ProvisionError;
use berth_domain::run::Stage;
use berth_pve::Error as PveError;
use berth_pve::types::GuestStatus;

const STAGE: Stage = Stage::StartContainer;

pub(crate) async fn run(ctx: &mut RunContext) -> Result<(), ProvisionError> {
    let (vmid, node) = (ctx.vmid()?, ctx.node()?.to_owned());
    let pve = ctx.services.pve.clone();
    let deadline = ctx.settings().start_deadline;
    if let Some(upid) = Checkpoint::upid(&ctx.checkpoint.start_upid) {
        match pve.wait_task(&upid, deadline).await {
            Ok(_) => {}
            // A failed start changed nothing: forget it and look at the container again.
            Err(PveError::TaskFailed(failure)) => {
                ctx.log(
                    STAGE,
                    format!("the earlier start failed: {}", failure.exitstatus),
                )
                .await?;
            }
            Err(other) => return Err(other.into()),
        }
    }
    if pve.lxc_status(&node, vmid).await?.status == GuestStatus::Running {
        return ctx.log(STAGE, format!("CT {vmid} is running")).await;
    }
    let upid = pve.start_lxc(&node, vmid).await?;
    ctx.checkpoint.start_upid = Some(upid.to_string());
    ctx.save(STAGE).await?;
    ctx.log(STAGE, format!("starting CT {vmid} ({upid})"))
        .await?;
    match pve.wait_task(&upid, deadline).await {
        Ok(_) => {}
        Err(error @ PveError::TaskFailed(_)) => {
            ctx.checkpoint.start_upid = None;
            ctx.save(STAGE).await?;
            return Err(error.into());
        }
        // Still running, or unknown: the next attempt waits for the same task.
        Err(error) => return Err(error.into()),
    }
    ctx.log(STAGE, format!("CT {vmid} is running")).await
}
