//! The server side of the containers page. Everything here is shared with the REST API: the
//! list comes from the poller's snapshot, and an action is checked, recorded with its audit
//! entry and queued by [`request_action`] whichever way it was asked for.

use super::api::ClusterOverview;
use crate::AppError;
use crate::auth::principal;
use crate::state::{AppState, app_state};
use crate::templates::api_ssr::entry;
use berth_auth::policy::{self, Action, Principal};
use berth_db::actions::{self, ActionError, NewAction};
use berth_db::runs;
use berth_domain::container::{
    ActionKind, ActionRequest, ActionView, ContainerRow, ContainersSnapshot,
};
use std::net::IpAddr;

/// The one cluster Berth manages, as the worker's poller names it.
pub const CLUSTER: &str = "main";

/// How long a finished action stays on the page.
const RECENT_SECS: i64 = 300;

/// The poller's last snapshot, if it has written one.
pub async fn snapshot(state: &AppState) -> Result<Option<ContainersSnapshot>, AppError> {
    let read = berth_status::read_snapshot(state.queue.client(), &state.key_prefix, CLUSTER)
        .await
        .map_err(AppError::internal)?;
    // The cache hit ratio: a miss means no poller has written the cluster's snapshot.
    let result = if read.is_some() { "hit" } else { "miss" };
    metrics::counter!("berth_status_cache_reads_total", "result" => result).increment(1);
    Ok(read)
}

/// The configured Proxmox VE client, or the reason there is none.
pub fn proxmox(state: &AppState) -> Result<&berth_pve::PveClient, AppError> {
    state
        .pve
        .as_ref()
        .ok_or_else(|| AppError::Conflict("No Proxmox VE is configured (BERTH_PVE_URL).".into()))
}

/// Actions under way and recently finished.
pub async fn current_actions(state: &AppState) -> Result<Vec<ActionView>, AppError> {
    let mut conn = state.db().get().await.map_err(AppError::internal)?;
    actions::current(&mut conn, RECENT_SECS)
        .await
        .map_err(AppError::internal)
}

pub async fn overview() -> Result<ClusterOverview, AppError> {
    let principal = crate::auth::require(Action::ViewContainers)?;
    let state = app_state()?;
    Ok(ClusterOverview {
        snapshot: snapshot(&state).await?,
        actions: current_actions(&state).await?,
        can_act: policy::require(&principal, Action::ManageContainer).is_ok(),
    })
}

pub async fn act(request: ActionRequest) -> Result<ActionView, AppError> {
    let principal = principal()?;
    let state = app_state()?;
    request_action(&state, &principal, crate::auth::client_ip(), request).await
}

/// Checks `request` against the caller's role, the container as the poller last saw it and
/// Proxmox (protection, snapshots), then records and queues it.
pub async fn request_action(
    state: &AppState,
    principal: &Principal,
    source_ip: Option<IpAddr>,
    request: ActionRequest,
) -> Result<ActionView, AppError> {
    policy::require(principal, Action::ManageContainer)
        .map_err(|denied| AppError::Forbidden(denied.to_string()))?;
    if let Some((field, message)) = request.problems().into_iter().next() {
        return Err(AppError::invalid(field, message));
    }
    let row = snapshot(state)
        .await?
        .and_then(|s| s.containers.into_iter().find(|r| r.vmid == request.vmid))
        .ok_or_else(|| {
            AppError::invalid(
                "vmid",
                format!("There is no container {} in the cluster.", request.vmid),
            )
        })?;
    ensure_may_manage(state, principal, &row).await?;
    ensure_possible(state, &request, &row).await?;

    let action = NewAction {
        vmid: row.vmid,
        node: &row.node,
        name: &row.name,
        kind: request.kind,
        snapshot: request.snapshot.as_deref(),
        description: request.description.as_deref(),
        requested_by: Some(principal.user_id),
        requested_by_name: &principal.username,
    };
    let mut audit = entry(principal, &format!("container.{}", request.kind.as_str())).details(
        serde_json::json!({ "vmid": row.vmid, "node": row.node, "name": row.name,
            "snapshot": request.snapshot }),
    );
    if let Some(ip) = source_ip {
        audit = audit.source_ip(ip);
    }
    let mut conn = state.db().get().await.map_err(AppError::internal)?;
    let record = actions::create(&mut conn, &action, audit)
        .await
        .map_err(|error| match error {
            ActionError::Busy(vmid) => AppError::Conflict(format!(
                "CT {vmid} already has an action under way; wait for it to finish."
            )),
            other => AppError::internal(other),
        })?;
    drop(conn);
    // Committed: if Redis is away now, the worker's reconciler queues it later.
    if let Err(error) = state.actions.enqueue(record.id).await {
        tracing::warn!(action = %record.id, %error, "cannot enqueue the action yet; the reconciler will");
    }
    Ok(record.view)
}

/// Operators manage the containers their own runs made; admins any container.
async fn ensure_may_manage(
    state: &AppState,
    principal: &Principal,
    row: &ContainerRow,
) -> Result<(), AppError> {
    if policy::require(principal, Action::ManageAnyContainer).is_ok() {
        return Ok(());
    }
    let made_by = match row.run.as_deref().and_then(|r| r.parse().ok()) {
        Some(run) => {
            let mut conn = state.db().get().await.map_err(AppError::internal)?;
            runs::get(&mut conn, run)
                .await
                .ok()
                .map(|record| record.summary.requested_by)
        }
        None => None,
    };
    if made_by.as_deref() == Some(principal.username.as_str()) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "CT {} was not created by one of your runs; only an admin may manage it.",
            row.vmid
        )))
    }
}

/// What the container's state rules out, said before anything is queued.
async fn ensure_possible(
    state: &AppState,
    request: &ActionRequest,
    row: &ContainerRow,
) -> Result<(), AppError> {
    if let Some(lock) = &row.lock {
        return Err(AppError::Conflict(format!(
            "CT {} is locked ({lock}); try again when Proxmox has finished with it.",
            row.vmid
        )));
    }
    if request.kind.needs_typed_confirmation()
        && request.confirm.as_deref().map(str::trim) != Some(row.name.as_str())
    {
        return Err(AppError::invalid(
            "confirm",
            format!("Type the container's name, {}, to confirm.", row.name),
        ));
    }
    let pve = proxmox(state)?;
    match request.kind {
        ActionKind::Destroy => {
            let config = pve
                .lxc_config(&row.node, row.vmid, true)
                .await
                .map_err(AppError::internal)?;
            let protected = config
                .other
                .get("protection")
                .is_some_and(|v| v.as_u64() == Some(1) || v.as_str() == Some("1"));
            if protected {
                return Err(AppError::Conflict(format!(
                    "CT {} has protection on; turn it off in Proxmox before destroying it.",
                    row.vmid
                )));
            }
        }
        ActionKind::Snapshot | ActionKind::Rollback | ActionKind::DeleteSnapshot => {
            let name = request.snapshot.as_deref().unwrap_or_default();
            let snapshots = pve
                .lxc_snapshots(&row.node, row.vmid)
                .await
                .map_err(AppError::internal)?;
            let exists = snapshots.iter().any(|s| s.name == name);
            if request.kind == ActionKind::Snapshot && exists {
                return Err(AppError::invalid(
                    "snapshot",
                    format!("CT {} already has a snapshot {name:?}.", row.vmid),
                ));
            }
            if request.kind != ActionKind::Snapshot && !exists {
                return Err(AppError::invalid(
                    "snapshot",
                    format!("CT {} has no snapshot {name:?}.", row.vmid),
                ));
            }
        }
        ActionKind::Start if row.is_running() => {
            return Err(AppError::Conflict(format!(
                "CT {} is already running.",
                row.vmid
            )));
        }
        ActionKind::Shutdown | ActionKind::Stop | ActionKind::Reboot if !row.is_running() => {
            return Err(AppError::Conflict(format!(
                "CT {} is not running.",
                row.vmid
            )));
        }
        _ => {}
    }
    Ok(())
}
