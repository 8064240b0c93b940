//! The server side of Admin → Users → "End sessions": every session of one user ends, and the
//! audit entry (with the count) is committed only once they have.

use super::api::EndedSessions;
use super::api_ssr::entry;
use crate::AppError;
use crate::account::session_services;
use crate::auth::require;
use crate::state::app_state;
use berth_auth::policy::Action;
use berth_auth::session::SessionError;
use berth_db::audit::{self, Outcome};
use berth_db::{DbError, users};
use diesel_async::AsyncConnection as _;

pub async fn end_sessions(user_id: String) -> Result<EndedSessions, AppError> {
    let admin = require(Action::ManageUsers)?;
    let services = session_services()?;
    let no_such_user = || AppError::invalid("user_id", "No such user.");
    let id: uuid::Uuid = user_id.trim().parse().map_err(|_| no_such_user())?;
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    let user = users::find_by_id(&mut conn, id)
        .await
        .map_err(AppError::internal)?
        .ok_or_else(no_such_user)?;
    let ended = conn
        .transaction::<_, EndError, _>(async |conn| {
            let count = services.sessions.revoke_all(user.id).await?;
            let entry = entry(&admin, "session.revoke_all", Outcome::Success)
                .target("user", user.id.to_string())
                .details(serde_json::json!({ "username": user.username, "count": count }));
            audit::insert(conn, &entry).await?;
            Ok(count)
        })
        .await;
    match ended {
        Ok(count) => Ok(EndedSessions {
            username: user.username,
            count,
        }),
        Err(EndError::Db(e)) => Err(AppError::internal(e)),
        Err(EndError::Session(e)) => Err(AppError::internal(e)),
    }
}

enum EndError {
    Db(DbError),
    Session(SessionError),
}

impl From<DbError> for EndError {
    fn from(e: DbError) -> Self {
        EndError::Db(e)
    }
}

impl From<diesel::result::Error> for EndError {
    fn from(e: diesel::result::Error) -> Self {
        EndError::Db(e.into())
    }
}

impl From<SessionError> for EndError {
    fn from(e: SessionError) -> Self {
        EndError::Session(e)
    }
}
