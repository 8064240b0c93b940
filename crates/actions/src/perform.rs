//! One action against Proxmox. Each looks first: an action whose effect is already there (the
//! container is already running, the snapshot already exists or is already gone, the container
//! is already destroyed) succeeds without a new task. That makes a retry after a crash safe.

use berth_db::actions::{ActionError, ActionRecord};
use berth_domain::container::ActionKind;
use berth_pve::types::{DeleteLxc, GuestStatus};
use berth_pve::{Error, PveClient, Retry, Upid};
use std::future::Future;
use std::time::Duration;

/// How an attempt failed.
#[derive(Debug)]
pub enum Failure {
    /// Proxmox may answer next time (unreachable, 5xx, a task still running).
    Retryable(String),
    /// Proxmox refused, or its task failed: the operator reads why.
    Terminal(String),
    /// This worker no longer holds the action.
    Claim(ActionError),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let text = match &error {
            Error::TaskFailed(failure) => failure.exitstatus.clone(),
            Error::Api(api) => api.text().to_string(),
            other => other.to_string(),
        };
        match error.retry() {
            Retry::No => Failure::Terminal(text),
            Retry::Safe | Retry::MaybeApplied => Failure::Retryable(text),
        }
    }
}

/// Carries out `record`'s action. `save_upid` persists a task before it is waited on.
pub async fn perform<F, Fut>(
    pve: &PveClient,
    record: &ActionRecord,
    deadline: Duration,
    save_upid: F,
) -> Result<(), Failure>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<ActionRecord, ActionError>>,
{
    let (node, vmid) = (record.view.node.as_str(), record.view.vmid);
    // A task an earlier attempt started: wait for it rather than start another.
    if let Some(upid) = record
        .view
        .upid
        .as_deref()
        .and_then(|u| u.parse::<Upid>().ok())
    {
        pve.wait_task(&upid, deadline).await?;
        // A destroy that had to stop first goes on from here.
        if !(record.view.kind == ActionKind::Destroy && upid.worker_type() == "vzstop") {
            return Ok(());
        }
    }
    let Some(status) = current_status(pve, node, vmid).await? else {
        return match record.view.kind {
            ActionKind::Destroy => Ok(()),
            _ => Err(Failure::Terminal(format!(
                "CT {vmid} does not exist on {node}"
            ))),
        };
    };
    let running = status == GuestStatus::Running;
    let snapshot = record.view.snapshot.as_deref().unwrap_or_default();
    let upid = match record.view.kind {
        ActionKind::Start if running => return Ok(()),
        ActionKind::Start => pve.start_lxc(node, vmid).await?,
        ActionKind::Stop | ActionKind::Shutdown if !running => return Ok(()),
        ActionKind::Stop => pve.stop_lxc(node, vmid, false).await?,
        ActionKind::Shutdown => pve.shutdown_lxc(node, vmid, Some(60), false).await?,
        ActionKind::Reboot if !running => {
            return Err(Failure::Terminal(format!("CT {vmid} is not running")));
        }
        ActionKind::Reboot => pve.reboot_lxc(node, vmid, Some(60)).await?,
        ActionKind::Destroy if running => {
            // Stop first; the next attempt (or this one, below) destroys.
            let stop = pve.stop_lxc(node, vmid, false).await?;
            run_task(pve, &stop, deadline, &save_upid).await?;
            destroy(pve, node, vmid).await?
        }
        ActionKind::Destroy => destroy(pve, node, vmid).await?,
        ActionKind::Snapshot if has_snapshot(pve, node, vmid, snapshot).await? => return Ok(()),
        ActionKind::Snapshot => {
            let description = record.description.as_deref();
            pve.create_lxc_snapshot(node, vmid, snapshot, description)
                .await?
        }
        ActionKind::Rollback => {
            pve.rollback_lxc_snapshot(node, vmid, snapshot, None)
                .await?
        }
        ActionKind::DeleteSnapshot if !has_snapshot(pve, node, vmid, snapshot).await? => {
            return Ok(());
        }
        ActionKind::DeleteSnapshot => pve.delete_lxc_snapshot(node, vmid, snapshot, false).await?,
    };
    run_task(pve, &upid, deadline, &save_upid).await
}

async fn run_task<F, Fut>(
    pve: &PveClient,
    upid: &Upid,
    deadline: Duration,
    save_upid: &F,
) -> Result<(), Failure>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<ActionRecord, ActionError>>,
{
    save_upid(upid.as_str().to_string())
        .await
        .map_err(Failure::Claim)?;
    pve.wait_task(upid, deadline).await?;
    Ok(())
}

async fn destroy(pve: &PveClient, node: &str, vmid: u32) -> Result<Upid, Error> {
    let options = DeleteLxc {
        purge: true,
        force: false,
        destroy_unreferenced_disks: Some(true),
    };
    pve.delete_lxc(node, vmid, options).await
}

/// The container's status, or `None` when the node does not list it.
async fn current_status(
    pve: &PveClient,
    node: &str,
    vmid: u32,
) -> Result<Option<GuestStatus>, Error> {
    let list = pve.lxc_list(node).await?;
    Ok(list
        .into_iter()
        .find(|ct| ct.vmid == vmid)
        .map(|ct| ct.status))
}

async fn has_snapshot(pve: &PveClient, node: &str, vmid: u32, name: &str) -> Result<bool, Error> {
    let snapshots = pve.lxc_snapshots(node, vmid).await?;
    Ok(snapshots.iter().any(|s| s.name == name))
}
