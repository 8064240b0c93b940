//! The running server's backups: the folder, the schedule, "back up now" from the admin page, and
//! how the last attempt went. Only one server writes at a time (a Redis slot named "backup").

use crate::{Backup, BackupSchedule};
use berth_domain::BackupStatus;
use berth_jobs::NodeSlots;
use berth_runtime::Secret;
use chrono::{DateTime, SecondsFormat, Utc};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The slot's name in [`NodeSlots`]; its lease outlives any dump.
const SLOT: &str = "backup";
const SLOT_TTL: Duration = Duration::from_secs(3600);

/// An attempt that failed, kept until a later one succeeds.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Failure {
    pub at: DateTime<Utc>,
    pub error: String,
}

/// Why [`Backups::take_now`] wrote nothing.
#[derive(Debug)]
pub enum TakeError {
    /// Another server (or this one's schedule) is writing a backup now.
    Busy,
    Failed(anyhow::Error),
}

impl fmt::Display for TakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TakeError::Busy => {
                f.write_str("A backup is being written right now; try again when it is done.")
            }
            TakeError::Failed(error) => write!(f, "The backup failed: {error:#}"),
        }
    }
}

#[derive(Clone)]
pub struct Backups {
    inner: Arc<Inner>,
}

struct Inner {
    schedule: BackupSchedule,
    database_url: Secret<String>,
    slots: NodeSlots,
    /// Who holds the slot while this process writes (unique per process).
    holder: String,
    last_failure: Mutex<Option<Failure>>,
}

impl fmt::Debug for Backups {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Backups")
            .field("schedule", &self.inner.schedule)
            .finish_non_exhaustive()
    }
}

impl Backups {
    pub fn new(
        schedule: BackupSchedule,
        database_url: Secret<String>,
        slots: NodeSlots,
        holder: String,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                schedule,
                database_url,
                slots,
                holder,
                last_failure: Mutex::new(None),
            }),
        }
    }

    pub fn schedule(&self) -> &BackupSchedule {
        &self.inner.schedule
    }

    /// The backups in the folder, oldest first, each dump read for its checksum (off the async
    /// threads); none while the folder does not exist yet.
    pub async fn list(&self) -> anyhow::Result<Vec<Backup>> {
        let dir = self.inner.schedule.dir.clone();
        tokio::task::spawn_blocking(move || {
            if dir.exists() {
                crate::list(&dir)
            } else {
                Ok(Vec::new())
            }
        })
        .await?
    }

    /// What the readiness page shows. Reads only the manifests, never the dumps.
    pub fn status(&self, now: DateTime<Utc>) -> BackupStatus {
        let stamp = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Secs, true);
        let newest = self.newest();
        let last_failure = self
            .lock_failure()
            .clone()
            .filter(|failure| newest.is_none_or(|newest| failure.at > newest));
        BackupStatus {
            last_success: newest.map(stamp),
            next_due: stamp(self.next_due(now)),
            last_failure: last_failure.map(|failure| (stamp(failure.at), failure.error)),
        }
    }

    /// The backup named `name` in the folder (its manifest read, its dump not). Only names the
    /// folder lists are found, so a name can never lead outside it.
    pub fn find(&self, name: &str) -> Option<Backup> {
        crate::scan(&self.inner.schedule.dir, false)
            .ok()?
            .into_iter()
            .find(|b| b.name() == name)
    }

    /// When the schedule writes the next one (now, if there is none yet).
    pub fn next_due(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let wait = crate::schedule::due_in(self.newest(), self.inner.schedule.every, now);
        now + chrono::TimeDelta::from_std(wait).unwrap_or_default()
    }

    /// The newest backup's time (from the manifests alone): the schedule counts from it.
    pub(crate) fn newest(&self) -> Option<DateTime<Utc>> {
        crate::scan(&self.inner.schedule.dir, false)
            .ok()?
            .iter()
            .filter_map(Backup::created)
            .max()
    }

    /// Writes a backup now and prunes the oldest beyond `keep`; refused while another is written.
    pub async fn take_now(&self) -> Result<Backup, TakeError> {
        let guard = match self
            .inner
            .slots
            .acquire(SLOT, &self.inner.holder, 1, SLOT_TTL)
            .await
        {
            Ok(Some(guard)) => guard,
            Ok(None) => return Err(TakeError::Busy),
            Err(error) => {
                let error = anyhow::Error::new(error).context("Redis did not answer");
                return Err(self.failed(error));
            }
        };
        let taken =
            crate::schedule::take(self.inner.database_url.expose(), &self.inner.schedule).await;
        let _ = guard.release().await;
        let dump = taken.map_err(|error| self.failed(error))?;
        let manifest = crate::manifest::read(&dump).map_err(|error| self.failed(error))?;
        *self.lock_failure() = None;
        Ok(Backup {
            dump,
            manifest,
            intact: true,
        })
    }

    fn failed(&self, error: anyhow::Error) -> TakeError {
        *self.lock_failure() = Some(Failure {
            at: Utc::now(),
            error: format!("{error:#}"),
        });
        TakeError::Failed(error)
    }

    fn lock_failure(&self) -> std::sync::MutexGuard<'_, Option<Failure>> {
        // The value is replaced whole, so a poisoned lock still holds a valid one.
        self.inner
            .last_failure
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
