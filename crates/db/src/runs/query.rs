//! Reading runs: one with everything, lists for the Jobs page, and the ids the reconciler needs.

use super::RunError;
use crate::Connection;
use crate::schema::runs;
use berth_domain::run::{RunState, RunSummary, Stage};
use chrono::{DateTime, SecondsFormat, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = runs)]
pub(super) struct RunRow {
    id: Uuid,
    template_name: String,
    template_version: i32,
    hostname: String,
    spec: serde_json::Value,
    secrets: serde_json::Value,
    state: String,
    stage: Option<String>,
    attempt: i32,
    checkpoint: serde_json::Value,
    vmid: Option<i32>,
    node: Option<String>,
    error: Option<String>,
    cancel_requested: bool,
    claim_token: Option<Uuid>,
    requested_by_name: String,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
}

/// A run with everything a worker or the detail page needs.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    pub id: Uuid,
    pub summary: RunSummary,
    pub spec: serde_json::Value,
    pub secrets: serde_json::Value,
    pub checkpoint: serde_json::Value,
    pub cancel_requested: bool,
    pub claim_token: Option<Uuid>,
}

impl RunRecord {
    pub fn state(&self) -> RunState {
        self.summary.state
    }
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl TryFrom<RunRow> for RunRecord {
    type Error = RunError;

    fn try_from(row: RunRow) -> Result<Self, RunError> {
        let state = RunState::from_key(&row.state)
            .ok_or_else(|| RunError::Corrupt(format!("unknown run state {:?}", row.state)))?;
        let stage = row
            .stage
            .as_deref()
            .map(|key| {
                Stage::from_key(key)
                    .ok_or_else(|| RunError::Corrupt(format!("unknown stage {key:?}")))
            })
            .transpose()?;
        let duration_ms = row.started_at.map(|started| {
            let end = row.finished_at.unwrap_or_else(Utc::now);
            (end - started).num_milliseconds().max(0)
        });
        Ok(RunRecord {
            id: row.id,
            summary: RunSummary {
                id: row.id.to_string(),
                template_name: row.template_name,
                template_version: row.template_version,
                hostname: row.hostname,
                state,
                stage,
                attempt: row.attempt,
                vmid: row.vmid,
                node: row.node,
                error: row.error,
                requested_by: row.requested_by_name,
                created_at: rfc3339(row.created_at),
                started_at: row.started_at.map(rfc3339),
                finished_at: row.finished_at.map(rfc3339),
                duration_ms,
            },
            spec: row.spec,
            secrets: row.secrets,
            checkpoint: row.checkpoint,
            cancel_requested: row.cancel_requested,
            claim_token: row.claim_token,
        })
    }
}

pub async fn get(conn: &mut Connection, id: Uuid) -> Result<RunRecord, RunError> {
    let row: Option<RunRow> = runs::table
        .find(id)
        .select(RunRow::as_select())
        .first(conn)
        .await
        .optional()?;
    row.ok_or(RunError::NotFound)?.try_into()
}

/// Filters of the Jobs page; every field narrows the list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunFilter {
    pub state: Option<RunState>,
    pub template: Option<String>,
    pub requested_by: Option<String>,
    /// Runs that reserved this VMID (the runs that touched a container).
    pub vmid: Option<i32>,
    /// Only runs created before this one (paging, newest first).
    pub before: Option<DateTime<Utc>>,
    /// At most this many (1–500; 50 when 0).
    pub limit: i64,
}

/// Runs, newest first.
pub async fn list(conn: &mut Connection, filter: &RunFilter) -> Result<Vec<RunSummary>, RunError> {
    let mut query = runs::table.select(RunRow::as_select()).into_boxed();
    if let Some(state) = filter.state {
        query = query.filter(runs::state.eq(state.key()));
    }
    if let Some(template) = &filter.template {
        query = query.filter(runs::template_name.eq(template.clone()));
    }
    if let Some(who) = &filter.requested_by {
        query = query.filter(runs::requested_by_name.eq(who.clone()));
    }
    if let Some(vmid) = filter.vmid {
        query = query.filter(runs::vmid.eq(vmid));
    }
    if let Some(before) = filter.before {
        query = query.filter(runs::created_at.lt(before));
    }
    let limit = if filter.limit == 0 {
        50
    } else {
        filter.limit.clamp(1, 500)
    };
    let rows: Vec<RunRow> = query
        .order((runs::created_at.desc(), runs::id.desc()))
        .limit(limit)
        .load(conn)
        .await?;
    rows.into_iter()
        .map(|row| RunRecord::try_from(row).map(|r| r.summary))
        .collect()
}

/// How many runs are in each state (states without runs are left out), for metrics.
pub async fn count_by_state(conn: &mut Connection) -> Result<Vec<(String, i64)>, RunError> {
    Ok(runs::table
        .group_by(runs::state)
        .select((runs::state, diesel::dsl::count_star()))
        .load(conn)
        .await?)
}

/// Runs that should have a job: queued or running. The reconciler offers them all to the queue,
/// which adds only those it does not hold.
pub async fn unfinished_ids(conn: &mut Connection) -> Result<Vec<Uuid>, RunError> {
    Ok(runs::table
        .filter(runs::state.eq_any([RunState::Queued.key(), RunState::Running.key()]))
        .order(runs::created_at.asc())
        .select(runs::id)
        .load(conn)
        .await?)
}
