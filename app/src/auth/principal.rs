//! Who a server function runs for. The server's authentication middleware puts the
//! `Principal` of a valid session into the request; every server function asks for it here.

use crate::AppError;
use berth_auth::policy::{self, Action, Principal};
use leptos::prelude::use_context;

/// The signed-in principal, or `Unauthenticated` (HTTP 401).
pub fn principal() -> Result<Principal, AppError> {
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Principal>().cloned())
        .ok_or_else(|| AppError::Unauthenticated.with_http_status())
}

/// The principal, if its role allows `action` (else HTTP 403); the one check every server
/// function makes.
pub fn require(action: Action) -> Result<Principal, AppError> {
    let principal = principal()?;
    policy::require(&principal, action)
        .map_err(|denied| AppError::Forbidden(denied.to_string()).with_http_status())?;
    Ok(principal)
}

/// The client's address, for the audit trail.
pub fn client_ip() -> Option<std::net::IpAddr> {
    use_context::<axum::http::request::Parts>().and_then(|parts| {
        parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip())
    })
}
