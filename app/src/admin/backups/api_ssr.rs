//! The server side of Admin → Backups.

use super::api::{BackupEntry, BackupPlan, BackupsOverview};
use crate::AppError;
use crate::admin::api_ssr::entry;
use crate::auth::require;
use crate::state::app_state;
use berth_auth::policy::Action;
use berth_backup::{Backup, Backups, TakeError};
use berth_db::audit::{self, Outcome};

fn backups() -> Result<Backups, AppError> {
    app_state()?.backups.ok_or_else(|| {
        AppError::Conflict(
            "Backups are off: set BERTH_BACKUP_DIR to the folder they should go to.".into(),
        )
    })
}

pub async fn overview() -> Result<BackupsOverview, AppError> {
    require(Action::ManageSettings)?;
    let Some(backups) = app_state()?.backups else {
        return Ok(BackupsOverview {
            plan: None,
            backups: Vec::new(),
            last_failure: None,
        });
    };
    let now = chrono::Utc::now();
    let status = backups.status(now);
    let schedule = backups.schedule();
    // Every dump is read for its checksum: the folder is small (BERTH_BACKUP_KEEP) and local.
    let listed = backups.list().await.map_err(|error| {
        AppError::Conflict(format!("The backups folder cannot be read: {error:#}"))
    })?;
    Ok(BackupsOverview {
        plan: Some(BackupPlan {
            dir: schedule.dir.display().to_string(),
            every_hours: schedule.every.as_secs() / 3600,
            keep: schedule.keep,
            next_due: status.next_due,
        }),
        backups: listed.iter().rev().map(entry_of).collect(),
        last_failure: status.last_failure,
    })
}

pub async fn take_now() -> Result<BackupEntry, AppError> {
    let admin = require(Action::ManageSettings)?;
    let backups = backups()?;
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    let taken = backups.take_now().await;
    let (outcome, details, result) = match taken {
        Ok(backup) => {
            let made = entry_of(&backup);
            let details = serde_json::json!({ "name": made.name, "bytes": made.bytes });
            (Outcome::Success, details, Ok(made))
        }
        Err(TakeError::Busy) => return Err(AppError::Conflict(TakeError::Busy.to_string())),
        Err(error) => {
            tracing::warn!(error = %error, "backup from the admin page failed");
            let details = serde_json::json!({ "error": error.to_string() });
            (
                Outcome::Failure,
                details,
                Err(AppError::Conflict(error.to_string())),
            )
        }
    };
    let record = entry(&admin, "backup.create", outcome).details(details);
    audit::insert(&mut conn, &record)
        .await
        .map_err(AppError::internal)?;
    result
}

fn entry_of(backup: &Backup) -> BackupEntry {
    BackupEntry {
        name: backup.name(),
        created_at: backup.manifest.created_at.clone(),
        bytes: backup.manifest.dump_bytes,
        schema_version: backup.manifest.schema_version.clone(),
        berth_version: backup.manifest.berth_version.clone(),
        intact: backup.intact,
    }
}
