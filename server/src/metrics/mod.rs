//! Prometheus metrics: one recorder per process, the HTTP middleware that measures every
//! request, and `GET /metrics`, which refreshes the gauges read at scrape time (queue depth,
//! runs by state, the database pool) and renders everything. Off unless `BERTH_METRICS_TOKEN`
//! is set; scrapers send it as a bearer token.

mod http;

pub use http::track;

use crate::security::same;
use app::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use berth_runtime::Secret;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;

/// Seconds: from a fast page (5 ms) to a slow Proxmox task poll (30 s).
const BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The process's recorder, installed on first use (tests build many routers in one process).
pub fn recorder() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&BUCKETS)
            .map(PrometheusBuilder::build_recorder)
            .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder());
        let handle = recorder.handle();
        // Fails only when another recorder is installed already; ours then records nothing,
        // which metrics in tests can live with.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

#[derive(Clone)]
struct Scrape {
    state: AppState,
    token: Option<Secret<String>>,
}

/// `GET /metrics`, answered only to the bearer of `token` (404 when there is none).
pub fn routes(state: AppState, token: Option<Secret<String>>) -> Router {
    recorder();
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(Scrape { state, token })
}

async fn scrape(State(scrape): State<Scrape>, headers: HeaderMap) -> Response {
    let Some(token) = &scrape.token else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let offered = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if !offered.is_some_and(|offered| same(offered.as_bytes(), token.expose().as_bytes())) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "metrics need the bearer token of BERTH_METRICS_TOKEN\n",
        )
            .into_response();
    }
    refresh_gauges(&scrape.state).await;
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        recorder().render(),
    )
        .into_response()
}

/// The figures nobody counts as they happen: read from Redis and Postgres at scrape time. A
/// service that does not answer leaves its gauges as they were and says so in `_up`.
async fn refresh_gauges(state: &AppState) {
    for (name, queue) in [("runs", &state.queue), ("actions", &state.actions)] {
        let depth = queue.depth().await;
        metrics::gauge!("berth_queue_up", "queue" => name).set(f64::from(u8::from(depth.is_ok())));
        if let Ok(depth) = depth {
            for (where_, count) in [
                ("ready", depth.ready),
                ("delayed", depth.delayed),
                ("leased", depth.leased),
            ] {
                metrics::gauge!("berth_queue_jobs", "queue" => name, "state" => where_)
                    .set(count as f64);
            }
        }
    }
    let pool = state.db().status();
    metrics::gauge!("berth_db_pool_connections", "state" => "open").set(pool.size as f64);
    metrics::gauge!("berth_db_pool_connections", "state" => "idle").set(pool.available as f64);
    metrics::gauge!("berth_db_pool_connections", "state" => "max").set(pool.max_size as f64);
    metrics::gauge!("berth_db_pool_waiting").set(pool.waiting as f64);
    let counts = match state.db().get().await {
        Ok(mut conn) => berth_db::runs::count_by_state(&mut conn).await.ok(),
        Err(_) => None,
    };
    metrics::gauge!("berth_db_up").set(f64::from(u8::from(counts.is_some())));
    if let Some(counts) = counts {
        for run_state in berth_domain::run::RunState::ALL {
            let count = counts
                .iter()
                .find(|(key, _)| key == run_state.key())
                .map_or(0, |(_, n)| *n);
            metrics::gauge!("berth_runs", "state" => run_state.key()).set(count as f64);
        }
    }
}
