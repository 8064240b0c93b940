//! Server functions about the signed-in user.

use crate::AppError;
use berth_domain::CurrentUser;
use leptos::prelude::*;

/// The signed-in user, or `None` on pages reachable without signing in.
#[server(prefix = "/api/fn", endpoint = "current-user")]
pub async fn signed_in_user() -> Result<Option<CurrentUser>, AppError> {
    Ok(use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentUser>().cloned()))
}
