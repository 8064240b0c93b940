//! The REST API under `/api/v1`, for scripts and CI: personal API tokens only.
//!
//! Every request needs `Authorization: Bearer berth_pat_…`; a browser session cookie is not
//! accepted here (and a token is never accepted anywhere else). Errors are JSON `{"error": "…"}`:
//! 401 (with `WWW-Authenticate: Bearer`) for a missing or unusable token, 403 when the token's
//! role does not allow the route, 400 for a bad query parameter, 404 for an unknown route, 429
//! (with `Retry-After`) once the caller's address has had 30 unusable tokens in 15 minutes.
//!
//! - `GET /api/v1/me`: who the token acts for.
//! - `GET /api/v1/audit`: the audit trail (admin), filtered, paged or exported as CSV/JSON.
//! - `/api/v1/templates…` and `/api/v1/buckets`: the template catalog ([`templates`]).
//! - `/api/v1/containers…`: the containers' status, creating one ([`containers`]), and their
//!   actions (`/containers/{vmid}/actions`, `/actions/{id}`: [`actions`]).
//! - `/api/v1/runs…`: provisioning runs, their stages and events ([`runs`]), live as
//!   server-sent events ([`run_stream`]).
//! - `GET /api/v1/openapi.json` (no token needed): this API described ([`openapi`]).

mod actions;
pub(crate) mod audit;
mod audit_params;
mod containers;
mod csv;
mod error;
mod me;
pub mod openapi;
mod run_stream;
pub(crate) mod runs;
pub(crate) mod templates;
mod throttle;
mod token_auth;

use crate::auth::AuthServices;
use app::state::AppState;
use axum::http::Method;
use axum::routing::{MethodRouter, get, post};
use axum::{Extension, Router, middleware};

pub use error::ApiError;
pub use token_auth::TokenCaller;

/// Every route that needs a token: method, path below `/api/v1`, handler. The router is built
/// from this list alone, and the OpenAPI document is tested against it ([`route_list`]).
fn endpoints() -> Vec<(Method, &'static str, MethodRouter<AuthServices>)> {
    vec![
        (Method::GET, "/me", get(me::me)),
        (Method::GET, "/audit", get(audit::audit)),
        (Method::GET, "/templates", get(templates::list)),
        (Method::POST, "/templates/import", post(templates::import)),
        (Method::GET, "/templates/{name}", get(templates::detail)),
        (
            Method::GET,
            "/templates/{name}/export",
            get(templates::export),
        ),
        (Method::GET, "/buckets", get(templates::bucket_list)),
        (Method::GET, "/containers", get(containers::list)),
        (Method::POST, "/containers", post(containers::create)),
        (Method::GET, "/containers/{vmid}", get(containers::detail)),
        (
            Method::POST,
            "/containers/{vmid}/actions",
            post(actions::request),
        ),
        (Method::GET, "/actions/{id}", get(actions::get)),
        (Method::GET, "/runs", get(runs::list)),
        (Method::GET, "/runs/{id}", get(runs::detail)),
        (Method::GET, "/runs/{id}/events", get(runs::events)),
        (
            Method::GET,
            "/runs/{id}/events/stream",
            get(run_stream::stream),
        ),
    ]
}

/// Served without a token: the API's description.
const OPENAPI_PATH: &str = "/openapi.json";

/// Every `/api/v1` route as (method, path below `/api/v1`), the public ones included.
pub fn route_list() -> Vec<(Method, &'static str)> {
    let mut list: Vec<_> = endpoints()
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect();
    list.push((Method::GET, OPENAPI_PATH));
    list
}

/// The `/api/v1` routes; merge into the app router. Authentication is this router's own layer.
/// `state` serves the routes that share the UI's code (creating containers, following runs).
pub fn routes(auth: AuthServices, state: AppState) -> Router {
    let v1 = endpoints()
        .into_iter()
        // Two methods on one path merge into one route.
        .fold(Router::new(), |router, (_, path, handler)| {
            router.route(path, handler)
        })
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            auth.clone(),
            token_auth::authenticate,
        ))
        .layer(Extension(state))
        .with_state(auth);
    Router::new()
        .route(&format!("/api/v1{OPENAPI_PATH}"), get(openapi::document))
        .nest("/api/v1", v1)
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}
