//! Provisioning runs over the REST API: the list, one run with its stages, and its events.
//!
//! - `GET /api/v1/runs?state=&template=&limit=`: newest first (viewer).
//! - `GET /api/v1/runs/{id}`: the run, its stages (state and duration of each) and its
//!   checkpoint's VMID, node and address — never its secrets.
//! - `GET /api/v1/runs/{id}/events?after=N&limit=M`: its events after sequence number N, in
//!   order; a client follows a run by asking again with the last `seq` it saw, or live with
//!   `/events/stream` ([`super::run_stream`]).

use super::{ApiError, TokenCaller};
use crate::auth::AuthServices;
use app::jobs::stages::{StageStatus, stage_statuses};
use axum::Json;
use axum::extract::{Path, Query, State};
use berth_auth::policy::Action;
use berth_db::runs::{self, RunError, RunFilter};
use berth_domain::run::{RunState, RunSummary, SequencedEvent};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    template: String,
    #[serde(default)]
    limit: String,
}

#[derive(Debug, Serialize)]
pub struct RunList {
    runs: Vec<RunSummary>,
}

pub async fn list(
    State(auth): State<AuthServices>,
    caller: TokenCaller,
    Query(query): Query<ListQuery>,
) -> Result<Json<RunList>, ApiError> {
    caller.require(Action::ViewContainers)?;
    let state = match query.state.as_str() {
        "" => None,
        key => Some(RunState::from_key(key).ok_or_else(|| {
            ApiError::bad_request(format!(
                "state: expected one of {}",
                RunState::ALL.map(RunState::key).join(", ")
            ))
        })?),
    };
    let limit = match query.limit.as_str() {
        "" => 50,
        text => text
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=500).contains(n))
            .ok_or_else(|| ApiError::bad_request("limit: expected a number from 1 to 500"))?,
    };
    let filter = RunFilter {
        state,
        template: Some(query.template).filter(|t| !t.is_empty()),
        limit,
        ..RunFilter::default()
    };
    let mut conn = auth.db.get().await.map_err(ApiError::internal)?;
    let runs = runs::list(&mut conn, &filter)
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(RunList { runs }))
}

/// One stage as far as the run got: the fold the Jobs page shows, with the stage's label.
#[derive(Debug, Serialize)]
pub struct StageView {
    #[serde(flatten)]
    status: StageStatus,
    label: &'static str,
}

#[derive(Debug, Serialize)]
pub struct RunDetail {
    #[serde(flatten)]
    summary: RunSummary,
    cancel_requested: bool,
    address: Option<String>,
    stages: Vec<StageView>,
}

pub async fn detail(
    State(auth): State<AuthServices>,
    caller: TokenCaller,
    Path(id): Path<String>,
) -> Result<Json<RunDetail>, ApiError> {
    caller.require(Action::ViewContainers)?;
    let id = run_id(&id)?;
    let mut conn = auth.db.get().await.map_err(ApiError::internal)?;
    let record = runs::get(&mut conn, id).await.map_err(not_found)?;
    let events = runs::events_after(&mut conn, id, 0, 100_000)
        .await
        .map_err(ApiError::internal)?;
    let address = record
        .checkpoint
        .get("address")
        .and_then(|a| a.as_str())
        .map(str::to_string);
    Ok(Json(RunDetail {
        stages: stages(&events, record.summary.state),
        summary: record.summary,
        cancel_requested: record.cancel_requested,
        address,
    }))
}

/// Each stage's state from the run's events, folded as the UI folds them.
fn stages(events: &[SequencedEvent], state: RunState) -> Vec<StageView> {
    stage_statuses(events, state)
        .into_iter()
        .map(|status| StageView {
            label: status.stage.label(),
            status,
        })
        .collect()
}

#[derive(Debug, Deserialize)]
pub struct EventsQuery {
    #[serde(default)]
    after: String,
    #[serde(default)]
    limit: String,
}

#[derive(Debug, Serialize)]
pub struct EventPage {
    events: Vec<SequencedEvent>,
    /// Ask again with `after=<this>` for what comes next.
    last_seq: i64,
    /// The run has ended: no more events will come.
    finished: bool,
}

pub async fn events(
    State(auth): State<AuthServices>,
    caller: TokenCaller,
    Path(id): Path<String>,
    Query(query): Query<EventsQuery>,
) -> Result<Json<EventPage>, ApiError> {
    caller.require(Action::ViewContainers)?;
    let id = run_id(&id)?;
    let after = number(&query.after, "after", 0, i64::MAX)?;
    let limit = number(&query.limit, "limit", 1000, 10_000)?.max(1);
    let mut conn = auth.db.get().await.map_err(ApiError::internal)?;
    // Read the state first: events written after it are still returned, so `finished` never
    // hides a last event.
    let record = runs::get(&mut conn, id).await.map_err(not_found)?;
    let events = runs::events_after(&mut conn, id, after, limit)
        .await
        .map_err(ApiError::internal)?;
    let last_seq = events.last().map_or(after, |e| e.seq);
    let finished = record.state().is_final() && (events.len() as i64) < limit;
    Ok(Json(EventPage {
        events,
        last_seq,
        finished,
    }))
}

/// A whole number from 0 to `max` in parameter `name`; empty is `default`.
pub(super) fn number(text: &str, name: &str, default: i64, max: i64) -> Result<i64, ApiError> {
    match text.trim() {
        "" => Ok(default),
        text => text
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=max).contains(n))
            .ok_or_else(|| {
                ApiError::bad_request(format!("{name}: expected a number from 0 to {max}"))
            }),
    }
}

pub(super) fn run_id(text: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(text).map_err(|_| ApiError::NotFoundWhat(format!("no run {text:?}")))
}

pub(super) fn not_found(error: RunError) -> ApiError {
    match error {
        RunError::NotFound => ApiError::NotFoundWhat("no such run".into()),
        other => ApiError::internal(other),
    }
}
