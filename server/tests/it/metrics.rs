//! `GET /metrics`: off without a token, refused without the right one, and with it the
//! Prometheus text with what was measured (requests by route) and what is read at scrape time
//! (queue depth, runs by state, the database pool).

use crate::create_container::{create, valid_spec};
use crate::support::{TestApp, app_with_sim};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use berth_domain::Role;
use berth_runtime::Secret;
use http_body_util::BodyExt;
use tower::ServiceExt;

const TOKEN: &str = "scrape-me-please-0123";

async fn scrape(router: &Router, authorization: Option<&str>) -> (StatusCode, String) {
    let mut request = Request::get("/metrics");
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn metrics_of(app: &TestApp, token: Option<&str>) -> Router {
    berth_server::metrics::routes(app.state.clone(), token.map(|t| Secret::new(t.to_string())))
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_need_their_token_and_show_requests_queues_runs_and_the_pool() {
    let (app, _sim) = app_with_sim(0.05).await;
    assert_eq!(
        scrape(&metrics_of(&app, None), None).await.0,
        StatusCode::NOT_FOUND
    );

    let metrics = metrics_of(&app, Some(TOKEN));
    for wrong in [None, Some("Bearer nope"), Some(TOKEN)] {
        let (status, body) = scrape(&metrics, wrong).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{wrong:?}: {body}");
        assert!(!body.contains("berth_"), "nothing leaks: {body}");
    }

    // Something to count: a page request, a refused one and a queued run.
    let (response, _) = app.get("/api/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    let (response, _) = app.get("/api/v1/containers").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let operator = app.sign_in_as(Role::Operator).await;
    let (status, body) = create(&app, &operator, &valid_spec(&app).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, body) = scrape(&metrics, Some(&format!("Bearer {TOKEN}"))).await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        r#"berth_http_requests_total{method="GET",route="/api/health",status="200"} 1"#,
        r#"berth_http_requests_total{method="GET",route="/api/v1/containers",status="401"} 1"#,
        r#"berth_server_fn_duration_seconds_count{fn="/api/fn/containers/create"} 1"#,
        r#"berth_queue_jobs{queue="runs",state="ready"} 1"#,
        r#"berth_queue_jobs{queue="actions",state="ready"} 0"#,
        r#"berth_runs{state="queued"} 1"#,
        r#"berth_runs{state="failed"} 0"#,
        r#"berth_db_up 1"#,
        "berth_db_pool_connections{state=\"max\"}",
        // The wizard's checks asked Proxmox (storage, VMIDs): counted by endpoint template.
        r#"berth_pve_requests_total{method="GET",endpoint="/cluster/resources",status="200"}"#,
        "berth_pve_request_duration_seconds_bucket{method=\"GET\",endpoint=\"/cluster/resources\"",
    ] {
        assert!(body.contains(expected), "{expected} missing from:\n{body}");
    }
}
