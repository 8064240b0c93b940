//! The worker's main loop: connect, run provisioning jobs and heartbeat until told to stop,
//! sign off.

use crate::config::{WorkerConfig, host_name};
use crate::heartbeat::{self, Identity};
use berth_db::Pool;
use berth_runtime::backoff::Backoff;
use berth_runtime::shutdown::{self, Shutdown};
use fred::prelude::ClientLike;
use std::time::Duration;

const SIGN_OFF_LIMIT: Duration = Duration::from_secs(2);

pub async fn run(config: WorkerConfig) -> anyhow::Result<()> {
    let (db, redis) = berth_runtime::connections::open(&config.common)?;
    if let Some(address) = config.metrics_addr {
        serve_metrics(address)?;
    }

    let (trigger, shutdown) = shutdown::channel();
    tokio::spawn(async move {
        shutdown::signal().await;
        trigger.trigger();
    });

    let identity = Identity::new(config.name.clone(), host_name());
    tracing::info!(worker = %identity.name, id = %identity.id, "berth-worker started");
    let jobs = crate::jobs::run(&config, db.clone(), redis.clone(), shutdown.clone());
    let heartbeat = heartbeat_until_shutdown(&db, &identity, config.heartbeat_interval, shutdown);
    let (jobs, ()) = tokio::join!(jobs, heartbeat);
    if let Err(error) = jobs {
        tracing::error!(error = %format!("{error:#}"), "the job runner stopped");
    }

    // Bounded: with the database away, stopping must not wait for connection timeouts.
    match tokio::time::timeout(SIGN_OFF_LIMIT, heartbeat::sign_off(&db, &identity)).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => {
            tracing::warn!(%error, "could not record the stop; the heartbeat will simply go stale");
        }
        Err(_) => {
            tracing::warn!("recording the stop timed out; the heartbeat will simply go stale")
        }
    }
    // A Redis that is away would hold `quit` until the command timeout.
    if redis.is_connected()
        && let Ok(Err(error)) = tokio::time::timeout(SIGN_OFF_LIMIT, redis.quit()).await
    {
        tracing::debug!(%error, "redis quit");
    }
    tracing::info!(worker = %identity.name, "berth-worker stopped");
    Ok(())
}

/// Beats every `interval`; while the database is unreachable, retries with back-off and says so
/// once per outage rather than once per attempt.
pub async fn heartbeat_until_shutdown(
    db: &Pool,
    identity: &Identity,
    interval: Duration,
    mut shutdown: Shutdown,
) {
    let mut backoff = Backoff::new(
        Duration::from_millis(250),
        interval.max(Duration::from_secs(5)),
    );
    let mut healthy = true;
    while !shutdown.is_triggered() {
        let delay = match heartbeat::beat(db, identity).await {
            Ok(()) => {
                if !healthy {
                    tracing::info!("database reachable again; heartbeat resumed");
                }
                healthy = true;
                backoff.reset();
                interval
            }
            Err(error) => {
                if healthy {
                    tracing::warn!(%error, "cannot record heartbeat; retrying with back-off");
                }
                healthy = false;
                backoff.next_delay().min(interval)
            }
        };
        if !shutdown.sleep(delay).await {
            break;
        }
    }
}

/// Prometheus's scrape endpoint for this process (stage durations, Proxmox calls); it answers
/// GET on any path.
fn serve_metrics(address: std::net::SocketAddr) -> anyhow::Result<()> {
    use anyhow::Context as _;
    metrics_exporter_prometheus::PrometheusBuilder::new()
        .set_buckets(&[
            0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0,
        ])
        .context("metrics buckets")?
        .with_http_listener(address)
        .install()
        .with_context(|| {
            format!("cannot serve metrics on {address} (BERTH_WORKER_METRICS_ADDR)")
        })?;
    tracing::info!(%address, "metrics served for Prometheus");
    Ok(())
}
