//! The server side of the Account page's API tokens (sessions: `sessions_ssr`). Input is checked
//! before anything is written; a token and its audit entry are written in one transaction.

use super::api::{CreatedToken, TokenList, TokenStatus, TokenView};
use crate::AppError;
use crate::auth::{client_ip, require};
use crate::state::app_state;
use berth_auth::api_token::{PREFIX, generate, validate_requested_role};
use berth_auth::policy::{Action, Principal};
use berth_db::DbError;
use berth_db::api_tokens::{self, ApiToken, NewApiToken};
use berth_db::audit::{self, NewAuditEntry, Outcome};
use berth_domain::Role;
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use diesel_async::AsyncConnection as _;

pub use super::password_ssr::change_password;
pub use super::sessions_ssr::{list_sessions, revoke_other_sessions, revoke_session};

/// The longest expiry a token may be given, in days (as for `berth-server token create`).
const MAX_DAYS: i64 = 3650;

pub async fn list_tokens() -> Result<TokenList, AppError> {
    let me = require(Action::ManageOwnTokens)?;
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    let tokens = api_tokens::list_for_user(&mut conn, me.user_id)
        .await
        .map_err(AppError::internal)?;
    let now = Utc::now();
    Ok(TokenList {
        tokens: tokens.iter().map(|t| view(t, now)).collect(),
        owner_role: me.role,
    })
}

pub async fn create_token(
    name: String,
    expires_in_days: String,
    role: String,
) -> Result<CreatedToken, AppError> {
    let me = require(Action::ManageOwnTokens)?;
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "name",
            "Give the token a name of 1 to 100 characters, on one line.",
        ));
    }
    let expires_at = match expires_in_days.trim() {
        "" => None,
        days => {
            let days = days
                .parse::<i64>()
                .ok()
                .filter(|d| (1..=MAX_DAYS).contains(d))
                .ok_or_else(|| {
                    AppError::invalid(
                        "expires_in_days",
                        format!(
                            "Enter the days until the token expires as a whole number from 1 to \
                             {MAX_DAYS}, or leave it empty for a token that does not expire."
                        ),
                    )
                })?;
            Some(Utc::now() + TimeDelta::days(days))
        }
    };
    let role = match role.trim() {
        "" => me.role,
        text => text
            .parse::<Role>()
            .map_err(|e| AppError::invalid("role", format!("{e}.")))?,
    };
    validate_requested_role(role, me.role).map_err(|e| AppError::invalid("role", e.to_string()))?;
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    // A lookup id is 64 random bits: a clash is all but impossible, but costs only a retry.
    let mut attempts = 0;
    loop {
        attempts += 1;
        let (plain, stored) = generate().map_err(AppError::internal)?;
        let new = NewApiToken {
            user_id: me.user_id,
            name: &name,
            lookup: &stored.lookup,
            secret_hash: &stored.hash,
            role,
            expires_at,
        };
        let written = conn
            .transaction::<_, DbError, _>(async |conn| {
                let token = api_tokens::insert(conn, &new).await?;
                let entry = entry(&me, "token.create")
                    .target("api_token", token.id.to_string())
                    .details(serde_json::json!({
                        "name": name,
                        "role": role.key(),
                        "expires_at": expires_at.map(|at| at.to_rfc3339()),
                    }));
                audit::insert(conn, &entry).await?;
                Ok(token)
            })
            .await;
        return match written {
            Ok(token) => Ok(CreatedToken {
                token: view(&token, Utc::now()),
                value: plain.expose().to_string(),
            }),
            Err(e) if e.is_conflict_on(api_tokens::LOOKUP_UNIQUE) && attempts < 3 => continue,
            Err(e) if e.is_conflict_on(api_tokens::USER_NAME_UNIQUE) => Err(AppError::invalid(
                "name",
                format!(
                    "You already have an active token named {name:?}: choose another name, or \
                     revoke that token first."
                ),
            )),
            Err(DbError::Invalid { .. }) => Err(AppError::invalid(
                "name",
                "Give the token a name of 1 to 100 characters, on one line.",
            )),
            Err(e) => Err(AppError::internal(e)),
        };
    }
}

pub async fn revoke_token(id: String) -> Result<TokenView, AppError> {
    let me = require(Action::ManageOwnTokens)?;
    let not_found = || {
        AppError::invalid(
            "id",
            "You have no active token with that id; it may have been revoked already.",
        )
    };
    let id: uuid::Uuid = id.trim().parse().map_err(|_| not_found())?;
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    let revoked = conn
        .transaction::<_, DbError, _>(async |conn| {
            // Only the caller's own, still live token: anyone else's is "not found".
            if !api_tokens::revoke(conn, id, Some(me.user_id)).await? {
                return Ok(None);
            }
            let token = api_tokens::list_for_user(conn, me.user_id)
                .await?
                .into_iter()
                .find(|t| t.id == id);
            let entry = entry(&me, "token.revoke")
                .target("api_token", id.to_string())
                .details(serde_json::json!({
                    "name": token.as_ref().map(|t| t.name.clone()),
                }));
            audit::insert(conn, &entry).await?;
            Ok(token)
        })
        .await
        .map_err(AppError::internal)?;
    revoked
        .map(|token| view(&token, Utc::now()))
        .ok_or_else(not_found)
}

/// An audit entry by the caller, from the caller's address.
pub(super) fn entry(me: &Principal, action: &str) -> NewAuditEntry {
    let entry = NewAuditEntry::new(me.username.clone(), action, Outcome::Success).actor(me.user_id);
    match client_ip() {
        Some(ip) => entry.source_ip(ip),
        None => entry,
    }
}

pub(super) fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn view(token: &ApiToken, now: DateTime<Utc>) -> TokenView {
    let status = if token.revoked_at.is_some() {
        TokenStatus::Revoked
    } else if token.expires_at.is_some_and(|at| at <= now) {
        TokenStatus::Expired
    } else {
        TokenStatus::Active
    };
    TokenView {
        id: token.id.to_string(),
        name: token.name.clone(),
        role: token.role,
        prefix: format!("{PREFIX}{}…", token.lookup),
        created_at: stamp(token.created_at),
        expires_at: token.expires_at.map(stamp),
        last_used_at: token.last_used_at.map(stamp),
        status,
    }
}
