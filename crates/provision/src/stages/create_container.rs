//! Create container: observe first (a task saved by an earlier attempt, a container already
//! tagged with this run), and only then create, holding one of the node's creation slots. The
//! task's UPID is saved before waiting, so a crash while waiting never leads to a second CT.

use crate::checkpoint::Checkpoint;
use crate::context::RunContext;
use crate::error::ProvisionError;
use crate::stages::create_request;
use berth_domain::run::{LogStream, Stage};
use berth_jobs::SlotGuard;
use berth_pve::Error as PveError;
use berth_pve::types::LxcStatus;
use std::time::Duration;
use tokio::time::Instant;

const STAGE: Stage = Stage::CreateContainer;
/// How often a container another attempt is still creating is looked at.
const LOCK_POLL: Duration = Duration::from_millis(200);

pub(crate) async fn run(ctx: &mut RunContext) -> Result<(), ProvisionError> {
    let (vmid, node) = (ctx.vmid()?, ctx.node()?.to_owned());
    if let Some(upid) = Checkpoint::upid(&ctx.checkpoint.create_upid) {
        ctx.log(STAGE, format!("waiting for the earlier create task {upid}"))
            .await?;
        return wait_create(ctx, &upid).await;
    }
    if let Some(existing) = find(ctx, &node, vmid).await? {
        if existing.lock.as_deref() == Some("create") {
            ctx.log(STAGE, format!("CT {vmid} is still being created; waiting"))
                .await?;
            return wait_unlocked(ctx, &node, vmid).await;
        }
        return ctx
            .log(STAGE, format!("CT {vmid} on {node} exists already"))
            .await;
    }

    let request = create_request::build(
        vmid,
        &ctx.run_tag(),
        &ctx.spec,
        &ctx.template,
        ctx.berth_public_key(),
    )?;
    let settings = ctx.settings().clone();
    let slot = ctx
        .services
        .slots
        .acquire_wait(
            &node,
            &ctx.id.to_string(),
            settings.creations_per_node,
            settings.slot_ttl,
            settings.slot_wait,
        )
        .await?
        .ok_or_else(|| ProvisionError::NodeBusy(node.clone()))?;
    holding(slot, settings.slot_ttl, async {
        let upid = ctx.services.pve.create_lxc(&node, &request).await?;
        ctx.checkpoint.create_upid = Some(upid.to_string());
        ctx.save(STAGE).await?;
        ctx.log(STAGE, format!("creating CT {vmid} on {node} ({upid})"))
            .await?;
        wait_create(ctx, &upid).await
    })
    .await
}

/// Does `work` while holding `slot`, renewing it every third of its ttl, then releases it.
/// A slot that cannot be renewed only loosens the node's limit: the work goes on.
async fn holding<T>(mut slot: SlotGuard, ttl: Duration, work: impl Future<Output = T>) -> T {
    let renew = async {
        let mut every = tokio::time::interval(ttl / 3);
        every.tick().await;
        loop {
            every.tick().await;
            if let Err(error) = slot.renew(ttl).await {
                tracing::warn!(%error, "could not renew the creation slot");
                return;
            }
        }
    };
    tokio::pin!(work);
    let out = tokio::select! {
        out = &mut work => Some(out),
        () = renew => None,
    };
    let out = match out {
        Some(out) => out,
        None => work.await,
    };
    if let Err(error) = slot.release().await {
        tracing::warn!(%error, "could not release the creation slot; it expires on its own");
    }
    out
}

/// The run's container at `vmid`, if there is one; a CT there that is not the run's is an error.
async fn find(
    ctx: &RunContext,
    node: &str,
    vmid: u32,
) -> Result<Option<LxcStatus>, ProvisionError> {
    let listed = ctx.services.pve.lxc_list(node).await?;
    let Some(ct) = listed.into_iter().find(|ct| ct.vmid == vmid) else {
        return Ok(None);
    };
    let tags = ct.tags.clone().unwrap_or_default();
    if berth_pve::types::tags_contain(&tags, &ctx.run_tag()) {
        Ok(Some(ct))
    } else if ct.lock.as_deref() == Some("create") {
        // A stub config has no tags yet; only this run may create at its reserved VMID.
        Ok(Some(ct))
    } else {
        Err(ProvisionError::NotOurs {
            vmid,
            node: node.to_owned(),
            tags,
        })
    }
}

/// Waits for the create task. A failed create removes its CT, so the saved UPID is forgotten
/// and the next attempt creates afresh.
async fn wait_create(ctx: &mut RunContext, upid: &berth_pve::Upid) -> Result<(), ProvisionError> {
    let deadline = ctx.settings().create_deadline;
    match ctx.services.pve.wait_task(upid, deadline).await {
        Ok(_) => ctx.task_log(STAGE, upid).await,
        Err(PveError::TaskFailed(failure)) => {
            let tail = failure.log_tail.clone();
            ctx.output(STAGE, LogStream::Stderr, tail).await?;
            let error = PveError::TaskFailed(failure);
            ctx.checkpoint.create_upid = None;
            ctx.save(STAGE).await?;
            Err(error.into())
        }
        Err(error) => Err(error.into()),
    }
}

/// Waits until the `create` lock is gone (the CT was made) or the CT is gone (the create failed).
async fn wait_unlocked(ctx: &RunContext, node: &str, vmid: u32) -> Result<(), ProvisionError> {
    let deadline = Instant::now() + ctx.settings().create_deadline;
    loop {
        match find(ctx, node, vmid).await? {
            None => return Err(ProvisionError::CreationVanished(vmid)),
            Some(ct) if ct.lock.as_deref() != Some("create") => return Ok(()),
            Some(_) if Instant::now() >= deadline => {
                return Err(ProvisionError::StillCreating(vmid));
            }
            Some(_) => tokio::time::sleep(LOCK_POLL).await,
        }
    }
}
