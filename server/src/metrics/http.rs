//! Every request counted and timed by its route (the router's pattern, such as
//! `/api/v1/runs/{id}`, so ids do not multiply the series); a server function by its own path.

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashSet;
use std::sync::OnceLock;
use std::time::Instant;

/// The registered server functions' paths: only these become labels, so a scanner trying
/// random `/api/fn/…` paths cannot grow the number of series.
fn server_fns() -> &'static HashSet<&'static str> {
    static PATHS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    PATHS.get_or_init(|| {
        leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path)
            .collect()
    })
}

pub async fn track(request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let started = Instant::now();
    let response = next.run(request).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = response.status().as_u16().to_string();
    if let Some(name) = server_fns().get(path.as_str()) {
        metrics::histogram!("berth_server_fn_duration_seconds", "fn" => *name).record(seconds);
    }
    metrics::counter!("berth_http_requests_total", "method" => method.clone(),
        "route" => route.clone(), "status" => status)
    .increment(1);
    metrics::histogram!("berth_http_request_duration_seconds", "method" => method,
        "route" => route)
    .record(seconds);
    response
}
