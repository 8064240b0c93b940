//! Scheduled backups (`BERTH_BACKUP_DIR`): the server writes a dump there every
//! `BERTH_BACKUP_EVERY_HOURS` and keeps the newest `BERTH_BACKUP_KEEP`. The next one is due one
//! period after the newest in the folder, so a restart neither skips nor repeats one; among
//! several servers a Redis slot lets one write at a time.

use super::{CreateBackup, Manifest, create, list};
use berth_jobs::NodeSlots;
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

fn newest(dir: &Path) -> Option<DateTime<Utc>> {
    list(dir)
        .ok()?
        .iter()
        .filter_map(|(_, manifest, _)| created(manifest))
        .max()
}

fn created(manifest: &Manifest) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&manifest.created_at)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Deletes all but the newest `keep` backups (dump and manifest); returns the dumps deleted.
pub fn prune(dir: &Path, keep: usize) -> anyhow::Result<Vec<PathBuf>> {
    let all = list(dir)?;
    let surplus = all.len().saturating_sub(keep);
    let mut deleted = Vec::new();
    for (dump, _, _) in all.into_iter().take(surplus) {
        std::fs::remove_file(&dump)?;
        std::fs::remove_file(super::manifest::path_for(&dump))?;
        deleted.push(dump);
    }
    Ok(deleted)
}

/// One scheduled backup: the dump, then the pruning.
pub async fn take(database_url: &str, schedule: &BackupSchedule) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(&schedule.dir)?;
    let name = format!("berth-{}.dump", Utc::now().format("%Y-%m-%dT%H-%M-%S%.3fZ"));
    let dump = create(
        database_url,
        &CreateBackup {
            out: Some(schedule.dir.join(name)),
        },
    )
    .await?;
    for old in prune(&schedule.dir, schedule.keep)? {
        tracing::info!(dump = %old.display(), "old backup deleted (BERTH_BACKUP_KEEP)");
    }
    Ok(dump)
}

/// Runs until shutdown. Failures are logged and retried after a tenth of the period.
pub async fn run(
    database_url: String,
    slots: NodeSlots,
    holder: String,
    schedule: BackupSchedule,
    mut shutdown: Shutdown,
) {
    loop {
        let wait = due_in(newest(&schedule.dir), schedule.every, Utc::now());
        if !shutdown.sleep(wait).await {
            return;
        }
        let slot = slots
            .acquire("backup", &holder, 1, Duration::from_secs(3600))
            .await;
        let retry = schedule.every / 10;
        match slot {
            Ok(Some(guard)) => {
                match take(&database_url, &schedule).await {
                    Ok(dump) => tracing::info!(dump = %dump.display(), "scheduled backup written"),
                    Err(error) => {
                        tracing::warn!(error = %format!("{error:#}"), "scheduled backup failed");
                        let _ = guard.release().await;
                        if !shutdown.sleep(retry).await {
                            return;
                        }
                        continue;
                    }
                }
                let _ = guard.release().await;
            }
            // Another server is writing one now, or Redis is away: look again later.
            Ok(None) | Err(_) => {
                if !shutdown.sleep(retry).await {
                    return;
                }
            }
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
