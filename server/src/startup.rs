//! Connecting to the dependencies and migrating, with back-off instead of failing start-up.

use crate::config::ServerConfig;
use anyhow::Context as _;
use berth_runtime::backoff::Backoff;
use berth_runtime::shutdown::Shutdown;
use std::time::Duration;

/// `berth-server migrate`: apply pending migrations, waiting up to a minute for the database.
pub async fn migrate_once(config: &ServerConfig) -> anyhow::Result<()> {
    let url = config.common.database.url.expose();
    let mut backoff = Backoff::new(Duration::from_millis(250), Duration::from_secs(5));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        match berth_db::migrations::run_pending(url).await {
            Ok(applied) => {
                tracing::info!(count = applied.len(), ?applied, "migrations applied");
                return seed_catalog(url).await;
            }
            Err(error) if tokio::time::Instant::now() < deadline => {
                let delay = backoff.next_delay();
                tracing::warn!(%error, retry_in_ms = delay.as_millis(), "cannot migrate yet");
                tokio::time::sleep(delay).await;
            }
            Err(error) => return Err(error).context("cannot apply migrations"),
        }
    }
}

/// At start-up: keeps trying to migrate until it works or the server stops. Until then readiness
/// reports what is missing.
pub async fn migrate_in_background(database_url: String, mut shutdown: Shutdown) {
    let mut backoff = Backoff::default();
    loop {
        match berth_db::migrations::run_pending(&database_url).await {
            Ok(applied) => {
                tracing::info!(
                    count = applied.len(),
                    ?applied,
                    "database schema is current"
                );
                if let Err(error) = seed_catalog(&database_url).await {
                    tracing::error!(error = %format!("{error:#}"), "cannot seed the built-in templates");
                }
                return;
            }
            Err(error) => {
                let delay = backoff.next_delay();
                tracing::warn!(
                    %error,
                    attempt = backoff.attempts(),
                    retry_in_ms = delay.as_millis(),
                    "cannot migrate the database yet; retrying"
                );
                if !shutdown.sleep(delay).await {
                    return;
                }
            }
        }
    }
}

/// Adds the built-in templates (infra/templates) that were never seeded before.
async fn seed_catalog(database_url: &str) -> anyhow::Result<()> {
    let settings = berth_db::PoolSettings {
        max_size: 1,
        ..Default::default()
    };
    let pool = berth_db::build_pool(database_url, settings)?;
    let mut conn = pool.get().await?;
    let seeded = berth_catalog::builtin::seed(&mut conn)
        .await
        .context("cannot seed the built-in templates")?;
    if !seeded.templates.is_empty() || !seeded.buckets.is_empty() {
        tracing::info!(templates = ?seeded.templates, buckets = ?seeded.buckets, "built-in templates seeded");
    }
    Ok(())
}
