//! The registry of `berth-worker` processes and their heartbeats.

use crate::schema::workers;
use crate::{Connection, DbError};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Double, Nullable};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = workers)]
pub struct NewWorker<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub hostname: &'a str,
    pub pid: i32,
    pub version: &'a str,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = workers)]
pub struct Worker {
    pub id: Uuid,
    pub name: String,
    pub hostname: String,
    pub pid: i32,
    pub version: String,
    pub started_at: DateTime<Utc>,
    pub heartbeat_at: DateTime<Utc>,
    pub stopped_at: Option<DateTime<Utc>>,
}

/// Registers a worker (or re-registers it after its row was lost) with a fresh heartbeat.
pub async fn upsert(conn: &mut Connection, worker: &NewWorker<'_>) -> Result<(), DbError> {
    diesel::insert_into(workers::table)
        .values(worker)
        .on_conflict(workers::id)
        .do_update()
        .set((
            workers::heartbeat_at.eq(diesel::dsl::now),
            workers::stopped_at.eq(None::<DateTime<Utc>>),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Refreshes the heartbeat; returns false when the row is gone (so the caller re-registers).
pub async fn heartbeat(conn: &mut Connection, id: Uuid) -> Result<bool, DbError> {
    let updated = diesel::update(workers::table.find(id))
        .set((
            workers::heartbeat_at.eq(diesel::dsl::now),
            workers::stopped_at.eq(None::<DateTime<Utc>>),
        ))
        .execute(conn)
        .await?;
    Ok(updated == 1)
}

/// Records a graceful stop, so readiness does not wait for the heartbeat to go stale.
pub async fn mark_stopped(conn: &mut Connection, id: Uuid) -> Result<(), DbError> {
    diesel::update(workers::table.find(id))
        .set(workers::stopped_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?;
    Ok(())
}

/// Seconds since the newest heartbeat of a running worker, by the database's clock (so clock skew
/// between hosts does not matter); `None` when no worker is running.
pub async fn newest_heartbeat_age(conn: &mut Connection) -> Result<Option<f64>, DbError> {
    let age = workers::table
        .filter(workers::stopped_at.is_null())
        .select(diesel::dsl::sql::<Nullable<Double>>(
            "EXTRACT(EPOCH FROM now() - max(heartbeat_at))::float8",
        ))
        .get_result::<Option<f64>>(conn)
        .await?;
    Ok(age)
}

pub async fn find(conn: &mut Connection, id: Uuid) -> Result<Option<Worker>, DbError> {
    Ok(workers::table
        .find(id)
        .select(Worker::as_select())
        .first(conn)
        .await
        .optional()?)
}
