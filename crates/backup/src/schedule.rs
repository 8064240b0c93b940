//! Scheduled backups (`BERTH_BACKUP_DIR`): the server writes a dump there every
//! `BERTH_BACKUP_EVERY_HOURS` and keeps the newest `BERTH_BACKUP_KEEP`. The next one is due one
//! period after the newest in the folder, so a restart neither skips nor repeats one; among
//! several servers a Redis slot lets one write at a time.

use crate::Backups;
use crate::service::TakeError;
use berth_runtime::shutdown::Shutdown;
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct BackupSchedule {
    pub dir: PathBuf,
    pub every: Duration,
    pub keep: usize,
}

/// How long until the next backup is due, given the newest one's time (`None`: none yet).
pub fn due_in(newest: Option<DateTime<Utc>>, every: Duration, now: DateTime<Utc>) -> Duration {
    let Some(newest) = newest else {
        return Duration::ZERO;
    };
    let elapsed = (now - newest).to_std().unwrap_or(Duration::ZERO);
    every.saturating_sub(elapsed)
}

/// Deletes all but the newest `keep` backups (dump and manifest); returns the dumps deleted.
pub fn prune(dir: &Path, keep: usize) -> anyhow::Result<Vec<PathBuf>> {
    let all = crate::list(dir)?;
    let surplus = all.len().saturating_sub(keep);
    let mut deleted = Vec::new();
    for backup in all.into_iter().take(surplus) {
        std::fs::remove_file(&backup.dump)?;
        std::fs::remove_file(crate::manifest::path_for(&backup.dump))?;
        deleted.push(backup.dump);
    }
    Ok(deleted)
}

/// One scheduled backup: the dump, then the pruning.
pub async fn take(database_url: &str, schedule: &BackupSchedule) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(&schedule.dir)?;
    let name = format!("berth-{}.dump", Utc::now().format("%Y-%m-%dT%H-%M-%S%.3fZ"));
    let dump = crate::create(database_url, Some(schedule.dir.join(name))).await?;
    for old in prune(&schedule.dir, schedule.keep)? {
        tracing::info!(dump = %old.display(), "old backup deleted (BERTH_BACKUP_KEEP)");
    }
    Ok(dump)
}

/// Runs until shutdown. Failures are logged (and shown on the admin page) and retried after a
/// tenth of the period; so is a turn another server was writing during.
pub async fn run(backups: Backups, mut shutdown: Shutdown) {
    let every = backups.schedule().every;
    loop {
        let wait = due_in(backups.newest(), every, Utc::now());
        if !shutdown.sleep(wait).await {
            return;
        }
        let retry = match backups.take_now().await {
            Ok(backup) => {
                tracing::info!(dump = %backup.dump.display(), "scheduled backup written");
                continue;
            }
            // Another server is writing one now: look again later.
            Err(TakeError::Busy) => every / 10,
            Err(error) => {
                tracing::warn!(error = %error, "scheduled backup failed");
                every / 10
            }
        };
        if !shutdown.sleep(retry).await {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_backup_is_due_a_period_after_the_newest() {
        let now: DateTime<Utc> = "2026-11-30T12:00:00Z".parse().unwrap();
        let day = Duration::from_secs(86_400);
        assert_eq!(due_in(None, day, now), Duration::ZERO);
        let six_hours_ago = now - chrono::TimeDelta::hours(6);
        assert_eq!(
            due_in(Some(six_hours_ago), day, now),
            Duration::from_secs(18 * 3600)
        );
        let two_days_ago = now - chrono::TimeDelta::days(2);
        assert_eq!(due_in(Some(two_days_ago), day, now), Duration::ZERO);
    }
}
