//! OpenID Connect identities: the (issuer, subject) pairs that sign a user in through SSO.

use crate::schema::{user_identities, users};
use crate::users::User;
use crate::{Connection, DbError};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// The unique constraint an (issuer, subject) pair already linked violates.
pub const ISSUER_SUBJECT_UNIQUE: &str = "user_identities_issuer_subject_unique";

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = user_identities, check_for_backend(diesel::pg::Pg))]
pub struct UserIdentity {
    pub id: Uuid,
    pub user_id: Uuid,
    pub issuer: String,
    pub subject: String,
    pub created_at: DateTime<Utc>,
}

/// Links an identity to a user. Already linked (to anyone) is [`DbError::Conflict`] on
/// [`ISSUER_SUBJECT_UNIQUE`]; an unknown user is [`DbError::Reference`].
pub async fn link_identity(
    conn: &mut Connection,
    user_id: Uuid,
    issuer: &str,
    subject: &str,
) -> Result<UserIdentity, DbError> {
    Ok(diesel::insert_into(user_identities::table)
        .values((
            user_identities::user_id.eq(user_id),
            user_identities::issuer.eq(issuer),
            user_identities::subject.eq(subject),
        ))
        .returning(UserIdentity::as_returning())
        .get_result(conn)
        .await?)
}

/// The user an identity signs in as. Issuer and subject are compared exactly. Disabled users are
/// returned too: the caller refuses them.
pub async fn find_by_identity(
    conn: &mut Connection,
    issuer: &str,
    subject: &str,
) -> Result<Option<User>, DbError> {
    Ok(user_identities::table
        .inner_join(users::table)
        .filter(user_identities::issuer.eq(issuer))
        .filter(user_identities::subject.eq(subject))
        .select(User::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// A user's identities, oldest first.
pub async fn list_for_user(
    conn: &mut Connection,
    user_id: Uuid,
) -> Result<Vec<UserIdentity>, DbError> {
    Ok(user_identities::table
        .filter(user_identities::user_id.eq(user_id))
        .order((user_identities::created_at.asc(), user_identities::id.asc()))
        .select(UserIdentity::as_select())
        .load(conn)
        .await?)
}
