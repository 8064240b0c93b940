//! Reserve VMID: pick the node, then a VMID that is free in Proxmox and held by no other
//! unfinished run (the partial unique index on `runs.vmid` makes the reservation).

use crate::context::RunContext;
use crate::error::ProvisionError;
use crate::stages::node;
use berth_db::runs::RunError;
use berth_domain::container::VmidChoice;
use berth_domain::run::Stage;
use berth_pve::types::ResourceType;
use berth_pve::{ApiErrorKind, Error as PveError};
use std::collections::BTreeSet;

pub(crate) async fn run(ctx: &mut RunContext) -> Result<(), ProvisionError> {
    const STAGE: Stage = Stage::ReserveVmid;
    // Observe: a VMID saved by an earlier attempt is ours already.
    if let (Some(vmid), Some(node)) = (ctx.checkpoint.vmid, ctx.checkpoint.node.clone()) {
        ctx.log(STAGE, format!("VMID {vmid} on {node} was reserved earlier"))
            .await?;
        return Ok(());
    }
    let pve = ctx.services.pve.clone();
    let node = node::choose(&pve, &ctx.spec.identity.node).await?;
    ctx.checkpoint.node = Some(node.clone());
    let vmid = match ctx.spec.identity.vmid {
        VmidChoice::Chosen(vmid) => {
            ensure_free_in_proxmox(ctx, vmid).await?;
            reserve(ctx, vmid).await?;
            vmid
        }
        VmidChoice::Auto => reserve_next(ctx).await?,
    };
    ctx.log(STAGE, format!("reserved VMID {vmid} on node {node}"))
        .await
}

/// Proxmox's next free id, stepping past ids other runs reserved but have not created yet
/// (`/cluster/nextid` is no reservation, PVE-API.md §4.5). Only ids Proxmox itself has taken count
/// against `vmid_tries`: with many runs queued at once, every one of them is offered the same
/// next id and steps past the others' reservations, however many there are.
async fn reserve_next(ctx: &mut RunContext) -> Result<u32, ProvisionError> {
    const LAST_VMID: u32 = 999_999_999;
    let pve = ctx.services.pve.clone();
    let mut candidate = pve.cluster_nextid(None).await?;
    // Proxmox offers its lowest free id; when another run holds that one (its container not
    // made yet, or its create retrying), the ids above may be a long block of existing guests.
    // They are listed once and skipped without a request or a try each.
    let existing: BTreeSet<u32> = pve
        .cluster_resources(Some(ResourceType::Vm))
        .await?
        .into_iter()
        .filter_map(|guest| guest.vmid)
        .collect();
    let mut taken_in_proxmox = 0;
    while taken_in_proxmox < ctx.settings().vmid_tries && candidate <= LAST_VMID {
        if existing.contains(&candidate) {
            candidate += 1;
            continue;
        }
        // Still asked: a guest made since the listing counts as a try.
        if is_free(&pve, candidate).await? {
            match reserve(ctx, candidate).await {
                Ok(()) => return Ok(candidate),
                Err(ProvisionError::VmidReserved(_)) => {}
                Err(other) => return Err(other),
            }
        } else {
            taken_in_proxmox += 1;
        }
        candidate += 1;
    }
    Err(ProvisionError::NoFreeVmid(ctx.settings().vmid_tries))
}

/// Saves the VMID in the checkpoint; the unique index refuses one another run holds.
async fn reserve(ctx: &mut RunContext, vmid: u32) -> Result<(), ProvisionError> {
    ctx.checkpoint.vmid = Some(vmid);
    match ctx.save(Stage::ReserveVmid).await {
        Ok(()) => Ok(()),
        Err(error) => {
            ctx.checkpoint.vmid = None;
            Err(match error {
                ProvisionError::Run(RunError::VmidTaken(_)) => ProvisionError::VmidReserved(vmid),
                other => other,
            })
        }
    }
}

/// `/cluster/nextid?vmid=N` answers 400 `VM N already exists` for a taken id, whoever may see it.
async fn is_free(pve: &berth_pve::PveClient, vmid: u32) -> Result<bool, ProvisionError> {
    match pve.cluster_nextid(Some(vmid)).await {
        Ok(_) => Ok(true),
        Err(PveError::Api(api)) if api.kind() == ApiErrorKind::BadRequest => Ok(false),
        Err(other) => Err(other.into()),
    }
}

/// A chosen VMID that Proxmox already uses is the operator's mistake: say where it is.
async fn ensure_free_in_proxmox(ctx: &RunContext, vmid: u32) -> Result<(), ProvisionError> {
    let pve = &ctx.services.pve;
    if is_free(pve, vmid).await? {
        return Ok(());
    }
    let node = pve
        .cluster_resources(Some(ResourceType::Vm))
        .await
        .ok()
        .and_then(|all| all.into_iter().find(|r| r.vmid == Some(vmid)))
        .and_then(|r| r.node);
    Err(ProvisionError::VmidInUse { vmid, node })
}
