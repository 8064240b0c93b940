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
//! - `/api/v1/runs…`: provisioning runs, their stages and events ([`runs`]).

pub(crate) mod audit;
mod audit_params;
mod csv;
mod error;
mod me;
pub(crate) mod runs;
pub(crate) mod templates;
mod throttle;
mod token_auth;

use crate::auth::AuthServices;
use axum::Router;
use axum::middleware;
use axum::routing::get;

pub use error::ApiError;
pub use token_auth::TokenCaller;

/// The `/api/v1` routes; merge into the app router. Authentication is this router's own layer.
pub fn routes(auth: AuthServices) -> Router {
    let v1 = Router::new()
        .route("/me", get(me::me))
        .route("/audit", get(audit::audit))
        .route("/templates", get(templates::list))
        .route("/templates/import", axum::routing::post(templates::import))
        .route("/templates/{name}", get(templates::detail))
        .route("/templates/{name}/export", get(templates::export))
        .route("/buckets", get(templates::bucket_list))
        .route("/runs", get(runs::list))
        .route("/runs/{id}", get(runs::detail))
        .route("/runs/{id}/events", get(runs::events))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            auth.clone(),
            token_auth::authenticate,
        ))
        .with_state(auth);
    Router::new().nest("/api/v1", v1)
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}
