//! The server side of the run server functions. Anyone who may see containers sees every run;
//! cancelling takes the operator role for one's own runs and the admin role for others'.

use super::api::RunView;
use super::apps_ssr::app_access;
use super::recovery_ssr::created_container;
use super::stages::stage_statuses;
use crate::AppError;
use crate::auth::require;
use crate::state::{AppState, app_state};
use crate::templates::api_ssr::entry;
use berth_auth::policy::{self, Action, Principal};
use berth_db::runs::{self, CancelOutcome, RunError, RunFilter};
use berth_domain::run::{LogStream, RunEvent, RunState, RunSummary, SequencedEvent};
use uuid::Uuid;

/// Enough for any run's whole history; the page pages through more with `events`.
const EVENTS_PER_CALL: i64 = 1000;

pub async fn list(state: String) -> Result<Vec<RunSummary>, AppError> {
    require(Action::ViewContainers)?;
    let state = match state.trim() {
        "" => None,
        key => Some(
            RunState::from_key(key)
                .ok_or_else(|| AppError::invalid("state", format!("{key:?} is not a run state")))?,
        ),
    };
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    let filter = RunFilter {
        state,
        limit: 200,
        ..RunFilter::default()
    };
    runs::list(&mut conn, &filter).await.map_err(run_error)
}

pub async fn get(id: String) -> Result<RunView, AppError> {
    let principal = require(Action::ViewContainers)?;
    let id = run_id(&id)?;
    let state = app_state()?;
    let mut conn = state.db().get().await.map_err(AppError::internal)?;
    let record = runs::get(&mut conn, id).await.map_err(run_error)?;
    let events = all_events(&mut conn, id).await?;
    let apps = app_access(&mut conn, &record).await;
    drop(conn);
    let summary = record.summary;
    let may_manage = may_manage(&principal, &summary);
    let can_recover = matches!(summary.state, RunState::Failed | RunState::Cancelled) && may_manage;
    // Only the recovery choices need it; a live run, re-read at each event, skips the cache read.
    // Without Redis the page still shows the run, only not what it left behind.
    let container = if can_recover {
        created_container(&state, &summary).await.ok().flatten()
    } else {
        None
    };
    Ok(RunView {
        stages: stage_statuses(&events, summary.state),
        last_seq: events.last().map_or(0, |e| e.seq),
        cancel_requested: record.cancel_requested,
        can_cancel: !summary.state.is_final() && may_manage,
        can_recover,
        container,
        apps,
        summary,
    })
}

pub async fn events(id: String, after_seq: i64) -> Result<Vec<SequencedEvent>, AppError> {
    require(Action::ViewContainers)?;
    let id = run_id(&id)?;
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    // An unknown run is a 400, not an empty list that would be polled for ever.
    runs::get(&mut conn, id).await.map_err(run_error)?;
    runs::events_after(&mut conn, id, after_seq.max(0), EVENTS_PER_CALL)
        .await
        .map_err(run_error)
}

pub async fn cancel(id: String) -> Result<(), AppError> {
    let principal = require(Action::ManageContainer)?;
    let id = run_id(&id)?;
    let state = app_state()?;
    let mut conn = state.db().get().await.map_err(AppError::internal)?;
    let summary = runs::get(&mut conn, id).await.map_err(run_error)?.summary;
    ensure_may_manage(&principal, &summary, "cancel")?;
    let outcome = runs::request_cancel(&mut conn, id)
        .await
        .map_err(run_error)?;
    let audit = entry(&principal, "container.cancel")
        .target("run", id.to_string())
        .correlation_id(id.to_string());
    berth_db::audit::insert(&mut conn, &audit)
        .await
        .map_err(AppError::internal)?;
    let line = format!("Cancel requested by {}", principal.username);
    let note = RunEvent::Log {
        stage: None,
        stream: LogStream::Info,
        line,
    };
    let mut notes = vec![note];
    if outcome == CancelOutcome::Cancelled {
        notes.push(RunEvent::State {
            state: RunState::Cancelled,
            message: Some("cancelled before a worker took it".into()),
        });
    }
    drop(conn);
    record_notes(&state, id, &notes).await?;
    // The worker's heartbeat reports this flag; Postgres already says so for the next claim.
    if let Err(error) = state.queue.request_cancel(id).await {
        tracing::warn!(run = %id, %error, "cancel recorded, but the queue could not be told");
    }
    Ok(())
}

/// Appends events the server writes itself (who asked for what) and tells the run's followers;
/// one that misses the message replays the events from Postgres.
pub(super) async fn record_notes(
    state: &AppState,
    id: Uuid,
    notes: &[RunEvent],
) -> Result<(), AppError> {
    let mut conn = state.db().get().await.map_err(AppError::internal)?;
    let mut written = Vec::new();
    for event in notes {
        written.push(
            runs::append_event(&mut conn, id, None, event)
                .await
                .map_err(run_error)?,
        );
    }
    drop(conn);
    let events = state.queue.events();
    for event in &written {
        if let Ok(payload) = serde_json::to_string(event) {
            let _ = events.publish(id, &payload).await;
        }
    }
    Ok(())
}

async fn all_events(
    conn: &mut berth_db::Connection,
    id: Uuid,
) -> Result<Vec<SequencedEvent>, AppError> {
    let mut events: Vec<SequencedEvent> = Vec::new();
    loop {
        let after = events.last().map_or(0, |e| e.seq);
        let page = runs::events_after(conn, id, after, EVENTS_PER_CALL)
            .await
            .map_err(run_error)?;
        let full = page.len() as i64 == EVENTS_PER_CALL;
        events.extend(page);
        if !full {
            return Ok(events);
        }
    }
}

/// [`may_manage`], or the refusal that says so (`verb`: what the caller wanted to do).
pub(super) fn ensure_may_manage(
    principal: &Principal,
    summary: &RunSummary,
    verb: &str,
) -> Result<(), AppError> {
    if may_manage(principal, summary) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "You need the admin role to {verb} other users' runs."
        )))
    }
}

/// One's own runs with the operator role, anyone's as an admin.
fn may_manage(principal: &Principal, summary: &RunSummary) -> bool {
    let action = if summary.requested_by == principal.username {
        Action::ManageContainer
    } else {
        Action::ManageAnyContainer
    };
    policy::require(principal, action).is_ok()
}

pub(super) fn run_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id.trim()).map_err(|_| AppError::invalid("id", "There is no such run."))
}

pub(crate) fn run_error(error: RunError) -> AppError {
    match error {
        RunError::NotFound => AppError::invalid("id", "There is no such run."),
        RunError::WrongState(state) => AppError::Conflict(format!(
            "The run is {state} and cannot be cancelled any more."
        )),
        other => AppError::internal(other),
    }
}
