//! `/api/health` and `/api/ready`, with every dependency up and with each one missing.

use crate::support::{Setup, app};
use axum::http::StatusCode;
use serde_json::Value;
use std::time::Duration;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[tokio::test]
async fn health_reports_version_and_uptime_without_dependencies() {
    let app = app(Setup {
        postgres: false,
        redis: false,
        ..Setup::default()
    })
    .await;
    let (response, body) = app.get("/api/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = json(&body);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert!(body["uptime_seconds"].as_f64().unwrap() >= 0.0);
}

#[tokio::test]
async fn ready_when_postgres_redis_and_a_worker_are_up() {
    let app = app(Setup::default()).await;
    app.register_worker().await;
    let (response, body) = app.get("/api/ready").await;
    let body = json(&body);
    assert_eq!(response.status(), StatusCode::OK, "{body}");
    assert_eq!(body["status"], "ready");
    for dependency in ["postgres", "redis", "worker"] {
        assert_eq!(
            body["checks"][dependency]["status"], "up",
            "{dependency}: {body}"
        );
        assert!(body["checks"][dependency]["latency_ms"].as_f64().unwrap() >= 0.0);
    }
    assert!(
        body["checks"]["worker"]["heartbeat_age_seconds"]
            .as_f64()
            .unwrap()
            < 5.0
    );
}

#[tokio::test]
async fn not_ready_without_a_worker() {
    let app = app(Setup::default()).await;
    let (response, body) = app.get("/api/ready").await;
    let body = json(&body);
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["status"], "degraded");
    assert_eq!(body["checks"]["postgres"]["status"], "up");
    assert_eq!(body["checks"]["worker"]["status"], "down");
    assert_eq!(
        body["checks"]["worker"]["error"],
        "no berth-worker is running"
    );
}

#[tokio::test]
async fn a_stale_heartbeat_counts_as_down() {
    let app = app(Setup {
        worker_stale_after: Duration::from_millis(200),
        ..Setup::default()
    })
    .await;
    app.register_worker().await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let (response, body) = app.get("/api/ready").await;
    let body = json(&body);
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let error = body["checks"]["worker"]["error"].as_str().unwrap();
    assert!(error.starts_with("newest heartbeat is"), "{error}");
}

#[tokio::test]
async fn unreachable_postgres_is_reported_not_fatal() {
    let app = app(Setup {
        postgres: false,
        ..Setup::default()
    })
    .await;
    let (response, body) = app.get("/api/ready").await;
    let body = json(&body);
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["checks"]["postgres"]["status"], "down");
    assert_eq!(body["checks"]["redis"]["status"], "up");
    assert_eq!(body["checks"]["worker"]["status"], "down");
    let error = body["checks"]["postgres"]["error"].as_str().unwrap();
    assert!(!error.is_empty());
    assert!(
        !error.contains("postgres://"),
        "no connection strings in errors: {error}"
    );
}

#[tokio::test]
async fn unreachable_redis_is_reported_not_fatal() {
    let app = app(Setup {
        redis: false,
        ..Setup::default()
    })
    .await;
    app.register_worker().await;
    let (response, body) = app.get("/api/ready").await;
    let body = json(&body);
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["checks"]["redis"]["status"], "down");
    assert_eq!(body["checks"]["postgres"]["status"], "up");
    assert_eq!(body["checks"]["worker"]["status"], "up");
    // Bounded: a dead Redis must not hold the readiness probe hostage.
    assert!(body["checks"]["redis"]["latency_ms"].as_f64().unwrap() < 2_500.0);
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = app(Setup {
        postgres: false,
        redis: false,
        ..Setup::default()
    })
    .await;
    let (response, _) = app.get("/api/health").await;
    let id = response
        .headers()
        .get("x-request-id")
        .expect("x-request-id");
    assert_eq!(id.to_str().unwrap().len(), 36, "a UUID");

    let request = axum::http::Request::get("/api/health")
        .header("x-request-id", "from-the-proxy")
        .body(axum::body::Body::empty())
        .unwrap();
    let (response, _) = app.send(request).await;
    assert_eq!(response.headers()["x-request-id"], "from-the-proxy");
}
