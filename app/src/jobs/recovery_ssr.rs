//! What an operator does with a run that failed: retry it (at the stage that failed or an
//! earlier one), or destroy the container it left behind. Keeping the container for debugging
//! is doing neither: nothing is removed until someone asks.

use super::api_ssr::{ensure_may_manage, record_notes, run_error, run_id};
use crate::AppError;
use crate::auth::require;
use crate::containers::api_ssr::{request_action, snapshot};
use crate::state::{AppState, app_state};
use crate::templates::api_ssr::entry;
use berth_auth::policy::Action;
use berth_db::runs::{self, RunError};
use berth_domain::container::{ActionKind, ActionRequest, ActionView, ContainerRow};
use berth_domain::run::{LogStream, RunEvent, RunState, RunSummary, Stage};

pub async fn retry(id: String, from: String) -> Result<(), AppError> {
    let principal = require(Action::ManageContainer)?;
    let id = run_id(&id)?;
    let state = app_state()?;
    let mut conn = state.db().get().await.map_err(AppError::internal)?;
    let summary = runs::get(&mut conn, id).await.map_err(run_error)?.summary;
    ensure_may_manage(&principal, &summary, "retry")?;
    if summary.state != RunState::Failed {
        return Err(AppError::Conflict(format!(
            "The run is {}; only a failed run can be retried.",
            summary.state.label().to_lowercase()
        )));
    }
    let failed_at = summary.stage.unwrap_or(Stage::ReserveVmid);
    let from = match from.trim() {
        "" => None,
        key => Some(
            Stage::from_key(key)
                .ok_or_else(|| AppError::invalid("from", format!("{key:?} is not a stage.")))?,
        ),
    };
    if let Some(from) = from.filter(|&from| from > failed_at) {
        return Err(AppError::invalid(
            "from",
            format!(
                "The run failed at \"{}\": it can go back to that stage or an earlier one, not skip to \"{}\".",
                failed_at.label(),
                from.label()
            ),
        ));
    }
    runs::retry(&mut conn, id, from)
        .await
        .map_err(|error| match error {
            RunError::VmidTaken(vmid) => AppError::Conflict(format!(
                "VMID {vmid} is reserved by another run now; start a new run instead."
            )),
            RunError::WrongState(state) => {
                AppError::Conflict(format!("The run is {state} and cannot be retried."))
            }
            other => run_error(other),
        })?;
    let at = from.unwrap_or(failed_at);
    let audit = entry(&principal, "container.retry")
        .target("run", id.to_string())
        .correlation_id(id.to_string())
        .details(serde_json::json!({ "from": at.key() }));
    berth_db::audit::insert(&mut conn, &audit)
        .await
        .map_err(AppError::internal)?;
    drop(conn);
    let notes = [
        RunEvent::Log {
            stage: None,
            stream: LogStream::Info,
            line: format!(
                "Retry from \"{}\" requested by {}",
                at.label(),
                principal.username
            ),
        },
        RunEvent::State {
            state: RunState::Queued,
            message: Some(format!("retrying from {}", at.key())),
        },
    ];
    record_notes(&state, id, &notes).await?;
    // Committed: if Redis is away now, the worker's reconciler queues the run later.
    if let Err(error) = state.queue.enqueue(id).await {
        tracing::warn!(run = %id, %error, "retry recorded, but the run could not be queued yet");
    }
    Ok(())
}

pub async fn discard(id: String, confirm: String) -> Result<ActionView, AppError> {
    let principal = require(Action::ManageContainer)?;
    let id = run_id(&id)?;
    let state = app_state()?;
    let mut conn = state.db().get().await.map_err(AppError::internal)?;
    let summary = runs::get(&mut conn, id).await.map_err(run_error)?.summary;
    drop(conn);
    ensure_may_manage(&principal, &summary, "clean up after")?;
    if !matches!(summary.state, RunState::Failed | RunState::Cancelled) {
        return Err(AppError::Conflict(format!(
            "The run is {}; only a failed or cancelled run's container is destroyed from here.",
            summary.state.label().to_lowercase()
        )));
    }
    let row = created_container(&state, &summary).await?.ok_or_else(|| {
        AppError::Conflict("This run has no container left in the cluster.".into())
    })?;
    // The container page's own path: role, ownership, protection, the typed name, the audit.
    let request = ActionRequest {
        vmid: row.vmid,
        kind: ActionKind::Destroy,
        snapshot: None,
        description: None,
        confirm: Some(confirm),
    };
    let action = request_action(&state, &principal, crate::auth::client_ip(), request).await?;
    let line = format!(
        "Destroy of CT {} ({}) requested by {}",
        row.vmid, row.name, principal.username
    );
    let note = RunEvent::Log {
        stage: None,
        stream: LogStream::Info,
        line,
    };
    record_notes(&state, id, &[note]).await?;
    Ok(action)
}

/// The container this run made, if the poller still sees it: the run's VMID carrying the run's
/// `berth-run-<id>` tag, so a VMID reused by someone else since is never taken for it.
pub(super) async fn created_container(
    state: &AppState,
    summary: &RunSummary,
) -> Result<Option<ContainerRow>, AppError> {
    let Some(vmid) = summary.vmid.and_then(|v| u32::try_from(v).ok()) else {
        return Ok(None);
    };
    Ok(snapshot(state).await?.and_then(|s| {
        s.containers
            .into_iter()
            .find(|row| row.vmid == vmid && row.run.as_deref() == Some(summary.id.as_str()))
    }))
}
