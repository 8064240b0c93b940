//! What the account server functions need beyond the database: the session store and the cookie
//! settings (to tell which session is the caller's own). The server puts one [`SessionServices`]
//! into every request's extensions.

use crate::AppError;
use berth_auth::session::{CookieConfig, SessionId, SessionStore, session_id_from_cookie_header};
use leptos::prelude::use_context;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone)]
pub struct SessionServices {
    pub sessions: SessionStore,
    pub cookie: CookieConfig,
}

/// The services of the current request; missing ones are a wiring bug, reported, not a panic.
pub(crate) fn session_services() -> Result<SessionServices, AppError> {
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<SessionServices>().cloned())
        .ok_or_else(|| AppError::internal("SessionServices are not in the request extensions"))
}

/// The id of the session the current request was made with, if any.
pub(super) fn current_session(cookie: &CookieConfig) -> Option<SessionId> {
    let parts = use_context::<axum::http::request::Parts>()?;
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| session_id_from_cookie_header(value, cookie))
}

/// What the browser sees instead of a session id: the first 8 hex digits of its SHA-256. Enough
/// to tell a user's few sessions apart, useless as a credential.
pub fn session_handle(id: &SessionId) -> String {
    Sha256::digest(id.expose().as_bytes())
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_short_stable_and_not_the_id() {
        let id = SessionId::parse("0123456789abcdef0123456789abcdef").unwrap();
        let handle = session_handle(&id);
        assert_eq!(handle.len(), 8);
        assert_eq!(handle, session_handle(&id));
        assert!(!id.expose().contains(&handle));
    }
}
