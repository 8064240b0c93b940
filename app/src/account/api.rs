//! Server functions of the Account page. Each starts with `require(ManageOwnTokens)` or
//! `require(ManageOwnSessions)` and acts only on the caller's own tokens and sessions; every change
//! writes its audit entry in the same transaction (see `api_ssr`).

use crate::AppError;
use berth_domain::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenStatus {
    Active,
    Expired,
    Revoked,
}

impl TokenStatus {
    pub fn label(self) -> &'static str {
        match self {
            TokenStatus::Active => "Active",
            TokenStatus::Expired => "Expired",
            TokenStatus::Revoked => "Revoked",
        }
    }
}

/// One of the caller's tokens; never the secret. Times are RFC 3339, UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// `berth_pat_<lookup>…`: enough to recognise a token, not to use it.
    pub prefix: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub status: TokenStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenList {
    pub tokens: Vec<TokenView>,
    /// The caller's role: the highest a new token may have.
    pub owner_role: Role,
}

/// A token just created: the only time its full value leaves the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub token: TokenView,
    pub value: String,
}

/// One of the caller's sessions. `handle` stands in for the id, which stays on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub handle: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The session this page was loaded with.
    pub current: bool,
}

#[server(prefix = "/api/fn", endpoint = "account/tokens")]
pub async fn list_tokens() -> Result<TokenList, AppError> {
    ssr::list_tokens().await.map_err(AppError::with_http_status)
}

/// `expires_in_days`: empty for no expiry, else 1–3650. `role`: empty for the caller's own role.
#[server(prefix = "/api/fn", endpoint = "account/tokens/create")]
pub async fn create_token(
    name: String,
    expires_in_days: String,
    role: String,
) -> Result<CreatedToken, AppError> {
    ssr::create_token(name, expires_in_days, role)
        .await
        .map_err(AppError::with_http_status)
}

#[server(prefix = "/api/fn", endpoint = "account/tokens/revoke")]
pub async fn revoke_token(id: String) -> Result<TokenView, AppError> {
    ssr::revoke_token(id)
        .await
        .map_err(AppError::with_http_status)
}

#[server(prefix = "/api/fn", endpoint = "account/sessions")]
pub async fn list_sessions() -> Result<Vec<SessionView>, AppError> {
    ssr::list_sessions()
        .await
        .map_err(AppError::with_http_status)
}

/// Ends one of the caller's other sessions, named by its handle.
#[server(prefix = "/api/fn", endpoint = "account/sessions/revoke")]
pub async fn revoke_session(handle: String) -> Result<(), AppError> {
    ssr::revoke_session(handle)
        .await
        .map_err(AppError::with_http_status)
}

/// Ends every session of the caller but the current one; returns how many ended.
#[server(prefix = "/api/fn", endpoint = "account/sessions/revoke-others")]
pub async fn revoke_other_sessions() -> Result<usize, AppError> {
    ssr::revoke_other_sessions()
        .await
        .map_err(AppError::with_http_status)
}

/// Changes the caller's own password; returns how many of their other sessions ended. The
/// current session stays signed in.
#[server(prefix = "/api/fn", endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    repeat_password: String,
) -> Result<usize, AppError> {
    ssr::change_password(current_password, new_password, repeat_password)
        .await
        .map_err(AppError::with_http_status)
}

#[cfg(feature = "ssr")]
use super::api_ssr as ssr;
