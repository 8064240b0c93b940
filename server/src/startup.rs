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
                return Ok(());
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
