//! Creating runs and moving them through their states.

use super::RunError;
use crate::Connection;
use crate::audit::{self, NewAuditEntry};
use crate::schema::{runs, template_versions, templates};
use berth_domain::run::{RunState, Stage};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use uuid::Uuid;

/// What the server writes when an operator starts a run.
#[derive(Debug, Clone)]
pub struct NewRun<'a> {
    pub template_name: &'a str,
    pub template_version: i32,
    pub hostname: &'a str,
    /// The container spec as JSON, with no plain password in it.
    pub spec: serde_json::Value,
    /// Secret material in a form safe to keep (e.g. a password hash), `{}` if none.
    pub secrets: serde_json::Value,
    /// A VMID chosen by the operator, reserved at once.
    pub vmid: Option<i32>,
    pub requested_by: Option<Uuid>,
    pub requested_by_name: &'a str,
}

/// Writes the run (`queued`) and its audit entry in one transaction; the caller enqueues the
/// job after the commit. The audit entry gets the run id as its correlation id.
pub async fn create(
    conn: &mut Connection,
    run: &NewRun<'_>,
    entry: NewAuditEntry,
) -> Result<Uuid, RunError> {
    let run = run.clone();
    conn.transaction::<_, RunError, _>(async move |conn| {
        let version_id: Option<Uuid> = template_versions::table
            .inner_join(templates::table)
            .filter(templates::name.eq(run.template_name))
            .filter(template_versions::version.eq(run.template_version))
            .select(template_versions::id)
            .first(conn)
            .await
            .optional()?;
        let Some(version_id) = version_id else {
            return Err(RunError::NoSuchTemplateVersion {
                name: run.template_name.to_string(),
                version: run.template_version,
            });
        };
        let id: Uuid = diesel::insert_into(runs::table)
            .values((
                runs::template_version_id.eq(version_id),
                runs::template_name.eq(run.template_name),
                runs::template_version.eq(run.template_version),
                runs::hostname.eq(run.hostname),
                runs::spec.eq(&run.spec),
                runs::secrets.eq(&run.secrets),
                runs::vmid.eq(run.vmid),
                runs::requested_by.eq(run.requested_by),
                runs::requested_by_name.eq(run.requested_by_name),
            ))
            .returning(runs::id)
            .get_result(conn)
            .await
            .map_err(|e| vmid_error(e, run.vmid))?;
        let entry = entry
            .target("run", id.to_string())
            .correlation_id(id.to_string());
        audit::insert(conn, &entry).await?;
        Ok(id)
    })
    .await
}

/// A write that set `vmid`: the reservation index refusing it means another unfinished run
/// holds that VMID.
fn vmid_error(error: diesel::result::Error, vmid: Option<i32>) -> RunError {
    let error = crate::DbError::from(error);
    match vmid {
        Some(vmid) if error.is_conflict_on(super::VMID_RESERVED) => RunError::VmidTaken(vmid),
        _ => RunError::Db(error),
    }
}

/// A worker takes the run: `running`, one more attempt, its token the only one that may write.
/// A `running` run is taken over (its previous worker's lease expired). `None` when the run is
/// finished or was cancelled meanwhile: the job has nothing left to do.
pub async fn claim(
    conn: &mut Connection,
    id: Uuid,
    token: Uuid,
    worker: &str,
) -> Result<Option<super::RunRecord>, RunError> {
    let now = diesel::dsl::now;
    let claimed = diesel::update(runs::table)
        .filter(runs::id.eq(id))
        .filter(runs::state.eq_any([RunState::Queued.key(), RunState::Running.key()]))
        .set((
            runs::state.eq(RunState::Running.key()),
            runs::claim_token.eq(token),
            runs::claimed_by.eq(worker),
            runs::attempt.eq(runs::attempt + 1),
            runs::started_at.eq(diesel::dsl::sql::<
                diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
            >("coalesce(started_at, now())")),
            runs::updated_at.eq(now),
        ))
        .returning(super::query::RunRow::as_returning())
        .get_result(conn)
        .await
        .optional()?;
    claimed.map(super::RunRecord::try_from).transpose()
}

/// Saves progress: the stage now running, what has been done so far, and the VMID and node
/// (`None` until known; the pipeline passes what its checkpoint holds). Fenced by the claim token.
pub async fn save_checkpoint(
    conn: &mut Connection,
    id: Uuid,
    token: Uuid,
    stage: Stage,
    checkpoint: &serde_json::Value,
    vmid: Option<i32>,
    node: Option<&str>,
) -> Result<(), RunError> {
    let updated = diesel::update(runs::table)
        .filter(runs::id.eq(id))
        .filter(runs::claim_token.eq(token))
        .filter(runs::state.eq(RunState::Running.key()))
        .set((
            runs::stage.eq(stage.key()),
            runs::checkpoint.eq(checkpoint),
            runs::vmid.eq(vmid),
            runs::node.eq(node),
            runs::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await
        .map_err(|e| vmid_error(e, vmid))?;
    fenced(updated)
}

fn fenced(updated: usize) -> Result<(), RunError> {
    if updated == 1 {
        Ok(())
    } else {
        Err(RunError::ClaimLost)
    }
}

/// Ends the run: `succeeded`, `failed` (with the error) or `cancelled`. Fenced by the token.
/// A succeeded run runs no script again, so the secret input values it kept for them go; a
/// failed or cancelled one keeps them for a retry.
pub async fn finish(
    conn: &mut Connection,
    id: Uuid,
    token: Uuid,
    state: RunState,
    error: Option<&str>,
) -> Result<(), RunError> {
    if !state.is_final() {
        return Err(RunError::WrongState(format!(
            "{} (not a final state)",
            state.key()
        )));
    }
    let updated = diesel::update(runs::table)
        .filter(runs::id.eq(id))
        .filter(runs::claim_token.eq(token))
        .filter(runs::state.eq(RunState::Running.key()))
        .set((
            runs::state.eq(state.key()),
            runs::error.eq(error),
            runs::secrets.eq(diesel::dsl::sql::<diesel::sql_types::Jsonb>(
                if state == RunState::Succeeded {
                    "secrets - 'inputs'"
                } else {
                    "secrets"
                },
            )),
            runs::claim_token.eq(None::<Uuid>),
            runs::finished_at.eq(diesel::dsl::now),
            runs::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    fenced(updated)
}

/// Gives the run back to the queue without counting the attempt (the worker is shutting down).
pub async fn release(conn: &mut Connection, id: Uuid, token: Uuid) -> Result<(), RunError> {
    let updated = diesel::update(runs::table)
        .filter(runs::id.eq(id))
        .filter(runs::claim_token.eq(token))
        .filter(runs::state.eq(RunState::Running.key()))
        .set((
            runs::state.eq(RunState::Queued.key()),
            runs::claim_token.eq(None::<Uuid>),
            runs::claimed_by.eq(None::<String>),
            runs::attempt.eq(runs::attempt - 1),
            runs::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    fenced(updated)
}

/// What a cancel request did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelOutcome {
    /// It was still queued: cancelled at once.
    Cancelled,
    /// It is running: the worker stops at the next safe point.
    Requested,
}

/// Cancels a queued run at once, or asks the worker of a running one to stop.
pub async fn request_cancel(conn: &mut Connection, id: Uuid) -> Result<CancelOutcome, RunError> {
    let cancelled = diesel::update(runs::table)
        .filter(runs::id.eq(id))
        .filter(runs::state.eq(RunState::Queued.key()))
        .set((
            runs::state.eq(RunState::Cancelled.key()),
            runs::cancel_requested.eq(true),
            runs::finished_at.eq(diesel::dsl::now),
            runs::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    if cancelled == 1 {
        return Ok(CancelOutcome::Cancelled);
    }
    let requested = diesel::update(runs::table)
        .filter(runs::id.eq(id))
        .filter(runs::state.eq(RunState::Running.key()))
        .set((
            runs::cancel_requested.eq(true),
            runs::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    if requested == 1 {
        return Ok(CancelOutcome::Requested);
    }
    Err(state_error(conn, id).await)
}

/// Why a state change found no row: the run does not exist, or is in another state.
async fn state_error(conn: &mut Connection, id: Uuid) -> RunError {
    let state: Result<Option<String>, _> = runs::table
        .find(id)
        .select(runs::state)
        .first(conn)
        .await
        .optional();
    match state {
        Ok(None) => RunError::NotFound,
        Ok(Some(state)) => RunError::WrongState(state),
        Err(error) => error.into(),
    }
}

/// Puts a failed run back in the queue. It resumes at the stage that failed, or at `from` (an
/// earlier stage the caller checked): stages look at Proxmox before acting, so going back
/// redoes work without creating anything twice. Its VMID must still be free of other
/// unfinished runs.
pub async fn retry(conn: &mut Connection, id: Uuid, from: Option<Stage>) -> Result<(), RunError> {
    use diesel::sql_types::{Nullable, Text};
    let stage = runs::stage.eq(diesel::dsl::sql::<Nullable<Text>>("coalesce(")
        .bind::<Nullable<Text>, _>(from.map(Stage::key))
        .sql(", stage)"));
    let updated = diesel::update(runs::table)
        .filter(runs::id.eq(id))
        .filter(runs::state.eq(RunState::Failed.key()))
        .set((
            stage,
            runs::state.eq(RunState::Queued.key()),
            runs::error.eq(None::<String>),
            runs::cancel_requested.eq(false),
            runs::finished_at.eq(None::<chrono::DateTime<chrono::Utc>>),
            runs::updated_at.eq(diesel::dsl::now),
        ))
        .returning(runs::vmid)
        .get_result::<Option<i32>>(conn)
        .await
        .optional();
    match updated {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(state_error(conn, id).await),
        Err(error) => {
            let vmid: Option<i32> = runs::table
                .find(id)
                .select(runs::vmid)
                .first(conn)
                .await
                .optional()?
                .flatten();
            Err(vmid_error(error, vmid))
        }
    }
}
