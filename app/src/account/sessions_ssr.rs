//! The server side of the Account page's sessions. Session ids never go to the browser: each
//! session is named by a short handle (see [`super::session_handle`]) and found again here among
//! the caller's own sessions, so nobody can name, let alone end, another user's session.

use super::api::SessionView;
use super::api_ssr::{entry, stamp};
use super::services::{current_session, session_handle, session_services};
use crate::AppError;
use crate::auth::require;
use crate::state::app_state;
use berth_auth::policy::Action;
use berth_auth::session::SessionError;
use berth_db::DbError;
use berth_db::audit;
use diesel_async::AsyncConnection as _;

pub async fn list_sessions() -> Result<Vec<SessionView>, AppError> {
    let me = require(Action::ManageOwnSessions)?;
    let services = session_services()?;
    let current = current_session(&services.cookie);
    let sessions = services
        .sessions
        .list_for_user(me.user_id)
        .await
        .map_err(AppError::internal)?;
    Ok(sessions
        .into_iter()
        .map(|(id, session)| SessionView {
            handle: session_handle(&id),
            created_at: stamp(session.created_at),
            last_seen_at: stamp(session.last_seen_at),
            ip: session.ip.map(|ip| ip.to_string()),
            user_agent: session.user_agent,
            current: current.as_ref() == Some(&id),
        })
        .collect())
}

pub async fn revoke_session(handle: String) -> Result<(), AppError> {
    let me = require(Action::ManageOwnSessions)?;
    let services = session_services()?;
    let handle = handle.trim().to_ascii_lowercase();
    let gone = || {
        AppError::invalid(
            "handle",
            "That session has already ended (or is not one of yours). Reload to see your sessions.",
        )
    };
    let current = current_session(&services.cookie);
    let mut matches: Vec<_> = services
        .sessions
        .list_for_user(me.user_id)
        .await
        .map_err(AppError::internal)?
        .into_iter()
        .map(|(id, _)| id)
        .filter(|id| session_handle(id) == handle)
        .collect();
    let id = match (matches.pop(), matches.is_empty()) {
        (Some(id), true) => id,
        // Two of one user's sessions sharing 32 bits of a hash: refuse rather than guess.
        (Some(_), false) => {
            return Err(AppError::invalid(
                "handle",
                "That session cannot be told apart from another one; use “Sign out everywhere else”.",
            ));
        }
        (None, _) => return Err(gone()),
    };
    if current.as_ref() == Some(&id) {
        return Err(AppError::invalid(
            "handle",
            "This is the session you are using now: use “Sign out” to end it.",
        ));
    }
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    let entry = entry(&me, "session.revoke")
        .target("session", handle.clone())
        .details(serde_json::json!({ "scope": "one" }));
    // The entry is committed only if the session really ended.
    let ended = conn
        .transaction::<_, RevokeError, _>(async |conn| {
            audit::insert(conn, &entry).await?;
            if services.sessions.revoke(me.user_id, &id).await? {
                Ok(())
            } else {
                Err(RevokeError::Gone)
            }
        })
        .await;
    match ended {
        Ok(()) => Ok(()),
        Err(RevokeError::Gone) => Err(gone()),
        Err(RevokeError::Db(e)) => Err(AppError::internal(e)),
        Err(RevokeError::Session(e)) => Err(AppError::internal(e)),
    }
}

pub async fn revoke_other_sessions() -> Result<usize, AppError> {
    let me = require(Action::ManageOwnSessions)?;
    let services = session_services()?;
    let current = current_session(&services.cookie);
    let others: Vec<_> = services
        .sessions
        .list_for_user(me.user_id)
        .await
        .map_err(AppError::internal)?
        .into_iter()
        .map(|(id, _)| id)
        .filter(|id| current.as_ref() != Some(id))
        .collect();
    if others.is_empty() {
        return Ok(0);
    }
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    let handles: Vec<String> = others.iter().map(session_handle).collect();
    let ended = conn
        .transaction::<_, RevokeError, _>(async |conn| {
            let mut ended = 0;
            for id in &others {
                if services.sessions.revoke(me.user_id, id).await? {
                    ended += 1;
                }
            }
            let entry = entry(&me, "session.revoke")
                .target("user", me.user_id.to_string())
                .details(serde_json::json!({
                    "scope": "others", "count": ended, "sessions": handles,
                }));
            audit::insert(conn, &entry).await?;
            Ok(ended)
        })
        .await;
    match ended {
        Ok(count) => Ok(count),
        Err(RevokeError::Db(e)) => Err(AppError::internal(e)),
        Err(RevokeError::Session(e)) => Err(AppError::internal(e)),
        Err(RevokeError::Gone) => Ok(0),
    }
}

enum RevokeError {
    Gone,
    Db(DbError),
    Session(SessionError),
}

impl From<DbError> for RevokeError {
    fn from(e: DbError) -> Self {
        RevokeError::Db(e)
    }
}

impl From<diesel::result::Error> for RevokeError {
    fn from(e: diesel::result::Error) -> Self {
        RevokeError::Db(e.into())
    }
}

impl From<SessionError> for RevokeError {
    fn from(e: SessionError) -> Self {
        RevokeError::Session(e)
    }
}
