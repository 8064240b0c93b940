//! The request pipeline of `/api2/json`: faults, authentication, CSRF, routing, parameters,
//! node proxying, schema validation, then the handler.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use http::Method;

use super::auth;
use super::params;
use super::reply::{self, ApiError};
use crate::api::{self, Call};
use crate::schema;
use crate::sim::Sim;

const BODY_LIMIT: usize = 16 << 20;

/// Calls allowed without credentials (pve-manager `HTTPServer.pm::auth_handler`).
fn is_unauthenticated(method: &Method, path: &str) -> bool {
    matches!(
        (method.as_str(), path),
        ("GET" | "POST", "/access/ticket")
            | ("GET", "/access/domains")
            | ("POST", "/access/vncticket")
            | ("POST", "/access/openid/login" | "/access/openid/auth-url")
    )
}

/// The axum fallback: everything that is not the admin endpoint lands here.
pub async fn handle(State(sim): State<Arc<Sim>>, req: Request) -> Response {
    sim.api_calls
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    match run(&sim, req).await {
        Ok(r) => reply::ok(r),
        Err(ApiError::Unauthorized(reason)) => {
            // pveproxy delays every 401 (about 3 s) to slow down guessing.
            sim.sleep(sim.settings.auth_failure_delay_secs).await;
            reply::error(ApiError::Unauthorized(reason))
        }
        Err(ApiError::LoginFailed) => {
            sim.sleep(sim.settings.auth_failure_delay_secs).await;
            reply::error(ApiError::LoginFailed)
        }
        Err(e) => reply::error(e),
    }
}

async fn run(sim: &Arc<Sim>, req: Request) -> Result<api::Reply, ApiError> {
    let (parts, body) = req.into_parts();
    let full = parts.uri.path().to_string();
    let Some(rest) = full.strip_prefix("/api2/") else {
        return Err(ApiError::NotImplemented("no such uri".into()));
    };
    let (format, rel) = rest
        .split_once('/')
        .map_or((rest, "/"), |(f, _)| (f, &rest[f.len()..]));
    if format != "json" {
        return Err(ApiError::NotImplemented("no such uri".into()));
    }
    let rel = if rel.len() > 1 {
        rel.trim_end_matches('/')
    } else {
        rel
    }
    .to_string();

    inject_faults(sim, &rel).await?;

    let authenticated = if is_unauthenticated(&parts.method, &rel) {
        None
    } else {
        let a = sim.read(|s| auth::authenticate(s, &parts.headers))?;
        if a.by_ticket && parts.method != Method::GET {
            sim.read(|s| auth::check_csrf(s, &a, &parts.headers))?;
        }
        Some(a)
    };

    let bytes = axum::body::to_bytes(Body::new(body), BODY_LIMIT)
        .await
        .map_err(|e| ApiError::fail(format!("unable to read request body - {e}")))?;
    if (parts.method == Method::GET || parts.method == Method::DELETE) && !bytes.is_empty() {
        return Err(ApiError::NotImplemented(format!(
            "Unexpected content for method '{}'",
            parts.method
        )));
    }

    let Some((route, uri_params)) = api::find(&parts.method, &rel) else {
        return Err(ApiError::NotImplemented(format!(
            "Method '{} {rel}' not implemented",
            parts.method
        )));
    };
    let mut params = params::collect(&parts.headers, parts.uri.query(), &bytes)?;
    params::add_uri_params(&mut params, uri_params)?;

    if let Some(node) = params
        .get("node")
        .filter(|n| schema::Named::NodeName.check(n).is_ok())
    {
        check_node_reachable(sim, node)?;
    }

    let errors = schema::validate(&route.params, &params);
    if !errors.is_empty() {
        return Err(ApiError::Param(errors));
    }

    let call = Call {
        sim: sim.clone(),
        who: authenticated.map(|a| a.who),
        params,
    };
    (route.handler)(call).await
}

/// pveproxy proxies `/nodes/{other}/…`: an unknown name fails the lookup, a dead node is a 595.
fn check_node_reachable(sim: &Sim, node: &str) -> Result<(), ApiError> {
    if !sim.read(|s| s.node(node).is_some()) {
        return Err(ApiError::fail(format!(
            "hostname lookup '{node}' failed - failed to get address info for: {node}: Name or service not known"
        )));
    }
    if sim.is_offline(node) {
        return Err(ApiError::Transport(595, "No route to host".into()));
    }
    Ok(())
}

async fn inject_faults(sim: &Sim, rel: &str) -> Result<(), ApiError> {
    let faults = sim.faults();
    let latency = faults.latency_for(rel);
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    if faults.hangs(rel) {
        // Never answer: the client times out. Released at shutdown so it can finish.
        crate::sim::wait_shutdown(sim.shutdown.clone()).await;
        return Err(ApiError::Injected(503, "simulator shutting down".into()));
    }
    if let Some(status) = faults.refusal_for(rel) {
        return Err(ApiError::Injected(
            status,
            "simulated refusal (fault injection)".into(),
        ));
    }
    if faults.error_rate > 0.0 && rand::random::<f64>() < faults.error_rate {
        let status = faults.error_status.unwrap_or(500);
        return Err(ApiError::Injected(
            status,
            "simulated server error (fault injection)".into(),
        ));
    }
    Ok(())
}
