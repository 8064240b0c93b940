//! The server side of the Account page's password change. Every check comes before any write;
//! the new hash and its audit entry are written in one transaction, and the caller's other
//! sessions are ended before it commits (the current one stays signed in).

use super::api_ssr::entry;
use super::services::{current_session, session_handle, session_services};
use crate::AppError;
use crate::auth::require;
use crate::state::app_state;
use berth_auth::password::{Hasher, Password, Verification, check_new_password};
use berth_auth::policy::Action;
use berth_auth::session::SessionError;
use berth_db::{DbError, audit, users};
use diesel_async::AsyncConnection as _;

pub async fn change_password(
    current_password: String,
    new_password: String,
    repeat_password: String,
) -> Result<usize, AppError> {
    let me = require(Action::ManageOwnSessions)?;
    let services = session_services()?;
    // The cheap checks first: a refused new password costs no argon2 work.
    let new = Password::new(new_password);
    check_new_password(&new, &me.username)
        .map_err(|e| AppError::invalid("new_password", e.to_string()))?;
    if new.expose() != repeat_password {
        return Err(AppError::invalid(
            "repeat_password",
            "The repeated password does not match the new password: type it again.",
        ));
    }
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    let user = users::find_by_id(&mut conn, me.user_id)
        .await
        .map_err(AppError::internal)?
        .ok_or(AppError::Unauthenticated)?;
    let Some(stored) = user.password_hash else {
        return Err(AppError::invalid(
            "current_password",
            "Your account signs in through single sign-on and has no Berth password to change; \
             change it with your identity provider.",
        ));
    };
    let hasher = Hasher::new(Default::default()).map_err(AppError::internal)?;
    let verified = hasher
        .verify_blocking(Password::new(current_password), stored.clone())
        .await
        .map_err(AppError::internal)?;
    if verified == Verification::Invalid {
        return Err(AppError::invalid(
            "current_password",
            "The current password is not correct.",
        ));
    }
    let hash = hasher
        .hash_blocking(new)
        .await
        .map_err(AppError::internal)?;
    let current = current_session(&services.cookie);
    let changed = conn
        .transaction::<_, ChangeError, _>(async |conn| {
            // Another change since the check above would make it stale: refuse, change nothing.
            let now = users::find_by_id(conn, me.user_id).await?;
            if now.and_then(|u| u.password_hash).as_deref() != Some(stored.as_str()) {
                return Err(ChangeError::Stale);
            }
            users::set_password_hash(conn, me.user_id, Some(&hash)).await?;
            let mut ended = Vec::new();
            for (id, _) in services.sessions.list_for_user(me.user_id).await? {
                if current.as_ref() != Some(&id)
                    && services.sessions.revoke(me.user_id, &id).await?
                {
                    ended.push(session_handle(&id));
                }
            }
            let entry = entry(&me, "user.password_change")
                .target("user", me.user_id.to_string())
                .details(serde_json::json!({
                    "other_sessions_ended": ended.len(), "sessions": ended,
                }));
            audit::insert(conn, &entry).await?;
            Ok(ended.len())
        })
        .await;
    match changed {
        Ok(count) => Ok(count),
        Err(ChangeError::Stale) => Err(AppError::invalid(
            "current_password",
            "Your password was changed meanwhile: reload the page and try again.",
        )),
        Err(ChangeError::Db(e)) => Err(AppError::internal(e)),
        Err(ChangeError::Session(e)) => Err(AppError::internal(e)),
    }
}

enum ChangeError {
    Stale,
    Db(DbError),
    Session(SessionError),
}

impl From<DbError> for ChangeError {
    fn from(e: DbError) -> Self {
        ChangeError::Db(e)
    }
}

impl From<diesel::result::Error> for ChangeError {
    fn from(e: diesel::result::Error) -> Self {
        ChangeError::Db(e.into())
    }
}

impl From<SessionError> for ChangeError {
    fn from(e: SessionError) -> Self {
        ChangeError::Session(e)
    }
}
