//! The worker's registration and heartbeat in Postgres, which readiness and admins read.

use berth_db::workers::{self, NewWorker};
use berth_db::{DbError, Pool};
use uuid::Uuid;

/// Who this worker process is.
#[derive(Debug, Clone)]
pub struct Identity {
    pub id: Uuid,
    pub name: String,
    pub hostname: String,
    pub pid: i32,
}

impl Identity {
    pub fn new(name: String, hostname: String) -> Self {
        Self {
            id: Uuid::new_v4(),
            name,
            hostname,
            pid: i32::try_from(std::process::id()).unwrap_or(i32::MAX),
        }
    }

    fn row(&self) -> NewWorker<'_> {
        NewWorker {
            id: self.id,
            name: &self.name,
            hostname: &self.hostname,
            pid: self.pid,
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// One heartbeat: refreshes the row, or (re-)creates it when it is missing, e.g. the first beat,
/// or after the database was restored.
pub async fn beat(pool: &Pool, identity: &Identity) -> Result<(), DbError> {
    let mut conn = pool.get().await?;
    if !workers::heartbeat(&mut conn, identity.id).await? {
        workers::upsert(&mut conn, &identity.row()).await?;
    }
    Ok(())
}

/// Marks the worker stopped, so readiness does not count it while its heartbeat ages.
pub async fn sign_off(pool: &Pool, identity: &Identity) -> Result<(), DbError> {
    let mut conn = pool.get().await?;
    workers::mark_stopped(&mut conn, identity.id).await
}
