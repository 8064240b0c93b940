//! Server functions of Admin → Users. Each one requires `ManageUsers`, changes the user and writes
//! its audit entry in one transaction, and refuses to leave Berth without an active admin.

use crate::AppError;
use berth_domain::{Role, UserSummary};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What "End sessions" did: whose sessions, and how many ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndedSessions {
    pub username: String,
    pub count: usize,
}

#[server(prefix = "/api/fn", endpoint = "admin/users")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    ssr::list().await.map_err(AppError::with_http_status)
}

#[server(prefix = "/api/fn", endpoint = "admin/users/create")]
pub async fn create_user(
    username: String,
    display_name: String,
    email: String,
    role: Role,
    password: String,
) -> Result<UserSummary, AppError> {
    ssr::create(username, display_name, email, role, password)
        .await
        .map_err(AppError::with_http_status)
}

#[server(prefix = "/api/fn", endpoint = "admin/users/role")]
pub async fn set_user_role(user_id: String, role: Role) -> Result<UserSummary, AppError> {
    ssr::change(user_id, ssr::Change::Role(role))
        .await
        .map_err(AppError::with_http_status)
}

#[server(prefix = "/api/fn", endpoint = "admin/users/disabled")]
pub async fn set_user_disabled(user_id: String, disabled: bool) -> Result<UserSummary, AppError> {
    ssr::change(user_id, ssr::Change::Disabled(disabled))
        .await
        .map_err(AppError::with_http_status)
}

/// Signs a user out everywhere: ends all their sessions (their API tokens stay valid).
#[server(prefix = "/api/fn", endpoint = "admin/users/end-sessions")]
pub async fn end_user_sessions(user_id: String) -> Result<EndedSessions, AppError> {
    super::sessions_ssr::end_sessions(user_id)
        .await
        .map_err(AppError::with_http_status)
}

#[cfg(feature = "ssr")]
use super::api_ssr as ssr;
