//! Who a server function runs for. The server's authentication middleware puts the
//! `Principal` of a valid session into the request; every server function asks for it here.

use crate::AppError;
use axum::http::StatusCode;
use berth_auth::policy::{self, Action, Principal};
use leptos::prelude::use_context;

/// The signed-in principal, or `Unauthenticated` (HTTP 401).
pub fn principal() -> Result<Principal, AppError> {
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Principal>().cloned())
        .ok_or_else(|| deny(StatusCode::UNAUTHORIZED, AppError::Unauthenticated))
}

/// The principal, if its role allows `action` (else HTTP 403); the one check every server
/// function makes.
pub fn require(action: Action) -> Result<Principal, AppError> {
    let principal = principal()?;
    policy::require(&principal, action).map_err(|denied| {
        deny(
            StatusCode::FORBIDDEN,
            AppError::Forbidden(denied.to_string()),
        )
    })?;
    Ok(principal)
}

/// The status a refused server function answers with, so clients and proxies see it too.
fn deny(status: StatusCode, error: AppError) -> AppError {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
    error
}
