//! `GET /audit/export?format=csv|json&…`: the Audit page's download link. The same filters and
//! files as `GET /api/v1/audit`, for an admin signed in with a browser session (the REST API
//! itself takes only API tokens).

use crate::api_v1::ApiError;
use crate::api_v1::audit::answer;
use crate::auth::AuthServices;
use axum::Router;
use axum::extract::{RawQuery, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use berth_auth::policy::{self, Action, Principal};

pub fn routes(auth: AuthServices) -> Router {
    Router::new()
        .route("/audit/export", get(export))
        .with_state(auth)
}

async fn export(
    State(auth): State<AuthServices>,
    RawQuery(query): RawQuery,
    request: Request,
) -> Response {
    // The session middleware sends strangers to sign in before they get here.
    let Some(principal) = request.extensions().get::<Principal>() else {
        return (StatusCode::UNAUTHORIZED, "Sign in first.\n").into_response();
    };
    if let Err(denied) = policy::require(principal, Action::ViewAudit) {
        return ApiError::Forbidden(denied.to_string()).into_response();
    }
    let query = query.unwrap_or_default();
    // A download always; CSV unless the link asks for JSON.
    let query = if query.split('&').any(|pair| pair.starts_with("format=")) {
        query
    } else if query.is_empty() {
        "format=csv".to_string()
    } else {
        format!("{query}&format=csv")
    };
    match answer(&auth, Some(&query), None).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}
