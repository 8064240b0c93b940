//! `berth-server serve`: wire the dependencies, build the router, serve until told to stop.

use crate::auth::AuthServices;
use crate::config::ServerConfig;
use crate::security::AllowedOrigins;
use crate::{proxmox, router, site, startup};
use anyhow::Context as _;
use app::state::AppState;
use berth_health::Probe;
use berth_runtime::shutdown;
use fred::prelude::ClientLike;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub async fn run(config: ServerConfig) -> anyhow::Result<()> {
    let started_at = Instant::now();
    let (db, redis) = berth_runtime::connections::open(&config.common)?;

    let pve = match &config.common.proxmox {
        Some(pve) => {
            let client = proxmox::client(pve).context("invalid Proxmox VE settings")?;
            tracing::info!(url = %pve.url, "Proxmox VE configured");
            Some(client)
        }
        None => {
            tracing::warn!("no Proxmox VE configured (BERTH_PVE_URL): nothing can be provisioned");
            None
        }
    };
    let proxmox = pve.clone().map(|client| {
        Arc::new(proxmox::PveReadiness(client)) as Arc<dyn berth_health::ProxmoxProbe>
    });

    let (trigger, shutdown) = shutdown::channel();
    let migrations = tokio::spawn(startup::migrate_in_background(
        config.common.database.url.expose().clone(),
        shutdown.clone(),
    ));

    let (leptos_options, assets) = site::load(&config.site_root, config.listen);
    let queue = crate::jobs::queue(redis.clone(), &config.common.redis);
    let state = AppState {
        leptos_options,
        probe: Probe {
            db,
            redis: redis.clone(),
            worker_stale_after: config.worker_stale_after,
            check_timeout: Duration::from_secs(2),
            proxmox,
        },
        started_at,
        queue: queue.clone(),
        actions: crate::jobs::actions(redis.clone(), &config.common.redis),
        key_prefix: config.common.redis.key_prefix.clone(),
        pve,
        backups: config.backup.clone().map(|schedule| {
            berth_backup::Backups::new(
                schedule,
                config.common.database.url.clone(),
                queue.node_slots(),
                format!("berth-server-{}", uuid::Uuid::new_v4().simple()),
            )
        }),
    };
    // The first origin is the public URL (or the listen address): it decides the cookie's form.
    let public_url = config.public_origins.first().map_or("", String::as_str);
    let cookie = berth_auth::session::CookieConfig::from_public_url(public_url)
        .map_err(|e| anyhow::anyhow!("BERTH_PUBLIC_URL: {e}"))?;
    let auth = AuthServices::new(
        state.probe.db.clone(),
        redis.clone(),
        cookie,
        &config.common.redis.key_prefix,
        config.session_idle,
        config.session_lifetime,
    )?;
    let sso = (!config.oidc.is_empty())
        .then(|| crate::oidc::Oidc::new(config.oidc.clone(), redis.clone(), auth.clone()))
        .transpose()?;
    let metrics = crate::metrics::routes(state.clone(), config.metrics_token.clone());
    let backups = state.backups.clone().map(|backups| {
        let schedule = backups.schedule();
        tracing::info!(dir = %schedule.dir.display(), every_hours = schedule.every.as_secs() / 3600,
            keep = schedule.keep, "scheduled backups on");
        tokio::spawn(berth_backup::schedule::run(backups, shutdown.clone()))
    });
    let app = router::router_with_sso(
        state,
        assets,
        AllowedOrigins::new(config.public_origins.clone()),
        auth,
        sso,
    )
    .merge(metrics);

    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {} (BERTH_LISTEN)", config.listen))?;
    tracing::info!(address = %config.listen, version = env!("CARGO_PKG_VERSION"), "berth-server listening");

    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown::signal().await;
        trigger.trigger();
    })
    .await
    .context("HTTP server failed")?;

    migrations.abort();
    if let Some(backups) = backups {
        backups.abort();
    }
    // A Redis that is away would hold `quit` until the command timeout.
    if redis.is_connected()
        && let Ok(Err(error)) = tokio::time::timeout(Duration::from_secs(2), redis.quit()).await
    {
        tracing::debug!(%error, "redis quit");
    }
    tracing::info!("berth-server stopped");
    Ok(())
}
