//! `GET /api/v1/me`: who the token acts for, and with which role.

use super::TokenCaller;
use axum::Json;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    /// The effective role: the lower of the token's and the owner's.
    pub role: &'static str,
    pub via: &'static str,
    pub token: TokenInfo,
}

#[derive(Debug, Serialize)]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    /// The role the token was created with.
    pub role: &'static str,
    /// RFC 3339, or `null` for a token that does not expire.
    pub expires_at: Option<String>,
}

pub async fn me(caller: TokenCaller) -> Json<Me> {
    Json(Me {
        username: caller.principal.username,
        display_name: caller.display_name,
        role: caller.principal.role.key(),
        via: "api_token",
        token: TokenInfo {
            id: caller.token_id.to_string(),
            name: caller.token_name,
            role: caller.token_role.key(),
            expires_at: caller.expires_at.map(|at| at.to_rfc3339()),
        },
    })
}
