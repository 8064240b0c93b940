//! The HTTP API outside Leptos: liveness and readiness for load balancers and orchestrators.

use app::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Map, Value, json};

/// Liveness: the process answers. Never touches a dependency.
pub async fn health(State(state): State<AppState>) -> impl IntoResponse {
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "uptime_seconds": state.started_at.elapsed().as_secs_f64(),
    }))
}

/// Readiness: every dependency with status and latency; 503 when an essential one is down.
pub async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    let readiness = state.readiness().await;
    let ready = readiness.is_ready();
    let mut checks = Map::new();
    for check in &readiness.checks {
        let mut entry = json!({
            "status": check.status.key(),
            "essential": check.dependency.is_essential(),
            "latency_ms": check.latency_ms,
        });
        if let Some(detail) = &check.detail {
            entry["detail"] = json!(detail);
        }
        if let Some(age) = check.heartbeat_age_seconds {
            entry["heartbeat_age_seconds"] = json!(age);
        }
        if let Some(error) = &check.error {
            entry["error"] = json!(error);
        }
        checks.insert(check.dependency.key().to_string(), entry);
    }
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let mut body = json!({
        "status": if ready { "ready" } else { "degraded" },
        "checked_at": readiness.checked_at,
        "checks": Value::Object(checks),
    });
    if let Some(backup) = &readiness.backup {
        body["backup"] = json!({
            "last_success": backup.last_success,
            "next_due": backup.next_due,
            // When only: the reason may name hosts and users, and this endpoint is public.
            "last_failure": backup.last_failure.as_ref().map(|(at, _)| json!({ "at": at })),
        });
    }
    (status, Json(body))
}
