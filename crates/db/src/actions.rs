//! Container actions (power, destroy, snapshots): written with their audit entry by the server,
//! claimed and settled by the worker that leases the job, listed by the containers page.
//!
//! Like runs, every worker write carries the lease token it claimed with; a worker whose lease
//! was taken over gets [`ActionError::ClaimLost`] and stops.

use crate::audit::{self, NewAuditEntry};
use crate::schema::container_actions as actions;
use crate::{Connection, DbError};
use berth_domain::container::{ActionKind, ActionState, ActionView};
use chrono::{DateTime, SecondsFormat, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use uuid::Uuid;

/// The partial unique index that allows one unfinished action per container.
pub const ONE_AT_A_TIME: &str = "container_actions_one_at_a_time";

#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("not found")]
    NotFound,
    /// Another action on the same container is queued or running.
    #[error("CT {0} already has an action under way")]
    Busy(u32),
    #[error("the action is no longer claimed by this worker")]
    ClaimLost,
    #[error("stored content cannot be read: {0}")]
    Corrupt(String),
}

impl From<diesel::result::Error> for ActionError {
    fn from(error: diesel::result::Error) -> Self {
        ActionError::Db(error.into())
    }
}

/// What the server writes when an operator asks for an action.
#[derive(Debug, Clone)]
pub struct NewAction<'a> {
    pub vmid: u32,
    pub node: &'a str,
    pub name: &'a str,
    pub kind: ActionKind,
    pub snapshot: Option<&'a str>,
    pub description: Option<&'a str>,
    pub requested_by: Option<Uuid>,
    pub requested_by_name: &'a str,
}

/// An action with what the worker needs beyond its view.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionRecord {
    pub view: ActionView,
    pub id: Uuid,
    pub description: Option<String>,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = actions)]
struct ActionRow {
    id: Uuid,
    vmid: i32,
    node: String,
    name: String,
    kind: String,
    snapshot: Option<String>,
    description: Option<String>,
    state: String,
    upid: Option<String>,
    error: Option<String>,
    requested_by_name: String,
    created_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl TryFrom<ActionRow> for ActionRecord {
    type Error = ActionError;

    fn try_from(row: ActionRow) -> Result<Self, ActionError> {
        let kind = ActionKind::parse(&row.kind)
            .ok_or_else(|| ActionError::Corrupt(format!("action kind {:?}", row.kind)))?;
        let state = ActionState::parse(&row.state)
            .ok_or_else(|| ActionError::Corrupt(format!("action state {:?}", row.state)))?;
        Ok(ActionRecord {
            view: ActionView {
                id: row.id.to_string(),
                vmid: u32::try_from(row.vmid).unwrap_or_default(),
                node: row.node,
                name: row.name,
                kind,
                snapshot: row.snapshot,
                state,
                error: row.error,
                upid: row.upid,
                requested_by: row.requested_by_name,
                created_at: rfc3339(row.created_at),
                finished_at: row.finished_at.map(rfc3339),
            },
            id: row.id,
            description: row.description,
        })
    }
}

/// Writes the action (`queued`) and its audit entry in one transaction; the caller enqueues it
/// after the commit. [`ActionError::Busy`] if the container already has one under way.
pub async fn create(
    conn: &mut Connection,
    action: &NewAction<'_>,
    entry: NewAuditEntry,
) -> Result<ActionRecord, ActionError> {
    let action = action.clone();
    conn.transaction::<_, ActionError, _>(async move |conn| {
        let row: ActionRow = diesel::insert_into(actions::table)
            .values((
                actions::vmid.eq(i32::try_from(action.vmid).unwrap_or(i32::MAX)),
                actions::node.eq(action.node),
                actions::name.eq(action.name),
                actions::kind.eq(action.kind.as_str()),
                actions::snapshot.eq(action.snapshot),
                actions::description.eq(action.description),
                actions::requested_by.eq(action.requested_by),
                actions::requested_by_name.eq(action.requested_by_name),
            ))
            .returning(ActionRow::as_returning())
            .get_result(conn)
            .await
            .map_err(|error| match DbError::from(error) {
                e if e.is_conflict_on(ONE_AT_A_TIME) => ActionError::Busy(action.vmid),
                e => ActionError::Db(e),
            })?;
        let entry = entry
            .target("container", action.vmid.to_string())
            .correlation_id(row.id.to_string());
        audit::insert(conn, &entry).await?;
        ActionRecord::try_from(row)
    })
    .await
}

pub async fn get(conn: &mut Connection, id: Uuid) -> Result<ActionRecord, ActionError> {
    let row: Option<ActionRow> = actions::table
        .find(id)
        .select(ActionRow::as_select())
        .first(conn)
        .await
        .optional()?;
    row.ok_or(ActionError::NotFound)?.try_into()
}

/// Unfinished actions, and those finished in the last `recent_secs` seconds (the containers
/// page shows what just happened), oldest first.
pub async fn current(
    conn: &mut Connection,
    recent_secs: i64,
) -> Result<Vec<ActionView>, ActionError> {
    let since = Utc::now() - chrono::Duration::seconds(recent_secs);
    let rows: Vec<ActionRow> = actions::table
        .filter(
            actions::finished_at
                .is_null()
                .or(actions::finished_at.gt(since)),
        )
        .order(actions::created_at.asc())
        .select(ActionRow::as_select())
        .load(conn)
        .await?;
    rows.into_iter()
        .map(|row| ActionRecord::try_from(row).map(|r| r.view))
        .collect()
}

/// A container's actions, newest first.
pub async fn for_container(
    conn: &mut Connection,
    vmid: u32,
    limit: i64,
) -> Result<Vec<ActionView>, ActionError> {
    let rows: Vec<ActionRow> = actions::table
        .filter(actions::vmid.eq(i32::try_from(vmid).unwrap_or(i32::MAX)))
        .order(actions::created_at.desc())
        .limit(limit)
        .select(ActionRow::as_select())
        .load(conn)
        .await?;
    rows.into_iter()
        .map(|row| ActionRecord::try_from(row).map(|r| r.view))
        .collect()
}

/// The ids the reconciler offers to the queue (Redis may have lost them).
pub async fn unfinished_ids(conn: &mut Connection) -> Result<Vec<Uuid>, ActionError> {
    Ok(actions::table
        .filter(actions::state.eq_any(["queued", "running"]))
        .select(actions::id)
        .load(conn)
        .await?)
}

/// The worker takes the action with its lease token. `None` when it is already settled.
pub async fn claim(
    conn: &mut Connection,
    id: Uuid,
    token: Uuid,
) -> Result<Option<ActionRecord>, ActionError> {
    let row: Option<ActionRow> = diesel::update(actions::table)
        .filter(actions::id.eq(id))
        .filter(actions::state.eq_any(["queued", "running"]))
        .set((
            actions::state.eq("running"),
            actions::claim_token.eq(token),
            actions::attempt.eq(actions::attempt + 1),
        ))
        .returning(ActionRow::as_returning())
        .get_result(conn)
        .await
        .optional()?;
    row.map(ActionRecord::try_from).transpose()
}

/// Saves the Proxmox task before the worker waits on it. Fenced by the claim token.
pub async fn save_upid(
    conn: &mut Connection,
    id: Uuid,
    token: Uuid,
    upid: &str,
) -> Result<ActionRecord, ActionError> {
    let row: Option<ActionRow> = diesel::update(actions::table)
        .filter(actions::id.eq(id))
        .filter(actions::claim_token.eq(token))
        .filter(actions::state.eq("running"))
        .set(actions::upid.eq(Some(upid)))
        .returning(ActionRow::as_returning())
        .get_result(conn)
        .await
        .optional()?;
    row.ok_or(ActionError::ClaimLost)?.try_into()
}

/// Settles the action: `succeeded` (no error) or `failed` with why. Fenced by the claim token.
pub async fn finish(
    conn: &mut Connection,
    id: Uuid,
    token: Uuid,
    error: Option<&str>,
) -> Result<ActionRecord, ActionError> {
    let state = if error.is_some() {
        "failed"
    } else {
        "succeeded"
    };
    let row: Option<ActionRow> = diesel::update(actions::table)
        .filter(actions::id.eq(id))
        .filter(actions::claim_token.eq(token))
        .filter(actions::state.eq("running"))
        .set((
            actions::state.eq(state),
            actions::error.eq(error),
            actions::finished_at.eq(Some(Utc::now())),
        ))
        .returning(ActionRow::as_returning())
        .get_result(conn)
        .await
        .optional()?;
    row.ok_or(ActionError::ClaimLost)?.try_into()
}

/// Fails an action whose job the queue gave up on, whoever held it.
pub async fn give_up(
    conn: &mut Connection,
    id: Uuid,
    error: &str,
) -> Result<Option<ActionRecord>, ActionError> {
    let row: Option<ActionRow> = diesel::update(actions::table)
        .filter(actions::id.eq(id))
        .filter(actions::state.eq_any(["queued", "running"]))
        .set((
            actions::state.eq("failed"),
            actions::error.eq(Some(error)),
            actions::finished_at.eq(Some(Utc::now())),
        ))
        .returning(ActionRow::as_returning())
        .get_result(conn)
        .await
        .optional()?;
    row.map(ActionRecord::try_from).transpose()
}
