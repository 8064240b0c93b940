//! Personal API tokens: found by their non-secret lookup, checked against the stored hash of the
//! secret by the auth layer. Expiry is judged by the database's clock.

use crate::role::DbRole;
use crate::schema::{api_tokens, users};
use crate::users::User;
use crate::{Connection, DbError};
use berth_domain::Role;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use std::fmt;
use uuid::Uuid;

/// The unique index a second live token of the same name (for the same user) violates.
pub const USER_NAME_UNIQUE: &str = "api_tokens_user_name_unique";
/// The unique constraint a reused lookup violates.
pub const LOOKUP_UNIQUE: &str = "api_tokens_lookup_unique";

#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = api_tokens, check_for_backend(diesel::pg::Pg))]
pub struct ApiToken {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub lookup: String,
    pub secret_hash: Vec<u8>,
    #[diesel(deserialize_as = DbRole)]
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Never prints the secret hash.
impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiToken")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("name", &self.name)
            .field("lookup", &self.lookup)
            .field("role", &self.role)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("last_used_at", &self.last_used_at)
            .field("revoked_at", &self.revoked_at)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct NewApiToken<'a> {
    pub user_id: Uuid,
    pub name: &'a str,
    pub lookup: &'a str,
    pub secret_hash: &'a [u8],
    #[diesel(serialize_as = DbRole)]
    pub role: Role,
    pub expires_at: Option<DateTime<Utc>>,
}

impl fmt::Debug for NewApiToken<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewApiToken")
            .field("user_id", &self.user_id)
            .field("name", &self.name)
            .field("lookup", &self.lookup)
            .field("role", &self.role)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Stores a token. A live token of the same name is [`DbError::Conflict`] on
/// [`USER_NAME_UNIQUE`]; a taken lookup on [`LOOKUP_UNIQUE`] (the caller draws another).
pub async fn insert(conn: &mut Connection, new: &NewApiToken<'_>) -> Result<ApiToken, DbError> {
    Ok(diesel::insert_into(api_tokens::table)
        .values(new.clone())
        .returning(ApiToken::as_returning())
        .get_result(conn)
        .await?)
}

/// The token with this lookup and its owner, if the token may be used now: not revoked, not
/// expired by the database's clock, and its owner not disabled. The caller still compares the
/// secret's hash, and grants at most the lower of the token's and the owner's roles.
pub async fn find_active_by_lookup(
    conn: &mut Connection,
    lookup: &str,
) -> Result<Option<(ApiToken, User)>, DbError> {
    Ok(api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::lookup.eq(lookup))
        .filter(api_tokens::revoked_at.is_null())
        .filter(
            api_tokens::expires_at
                .is_null()
                .or(api_tokens::expires_at.gt(diesel::dsl::now)),
        )
        .filter(users::disabled_at.is_null())
        .select((ApiToken::as_select(), User::as_select()))
        .first(conn)
        .await
        .optional()?)
}

/// All of a user's tokens, revoked and expired ones included, newest first.
pub async fn list_for_user(conn: &mut Connection, user_id: Uuid) -> Result<Vec<ApiToken>, DbError> {
    Ok(api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .order((api_tokens::created_at.desc(), api_tokens::id.desc()))
        .select(ApiToken::as_select())
        .load(conn)
        .await?)
}

/// Revokes a live token. With `owner` set, only that user's token (a user revoking their own);
/// with `None`, anyone's (an admin). False when nothing was revoked: unknown, not the owner's, or
/// already revoked.
pub async fn revoke(conn: &mut Connection, id: Uuid, owner: Option<Uuid>) -> Result<bool, DbError> {
    let live = api_tokens::table
        .filter(api_tokens::id.eq(id))
        .filter(api_tokens::revoked_at.is_null());
    let revoked_at = api_tokens::revoked_at.eq(diesel::dsl::now);
    let updated = match owner {
        Some(owner) => {
            diesel::update(live.filter(api_tokens::user_id.eq(owner)))
                .set(revoked_at)
                .execute(conn)
                .await?
        }
        None => diesel::update(live).set(revoked_at).execute(conn).await?,
    };
    Ok(updated == 1)
}

/// Records a use now; false when there is no such token.
pub async fn touch_last_used(conn: &mut Connection, id: Uuid) -> Result<bool, DbError> {
    let updated = diesel::update(api_tokens::table.find(id))
        .set(api_tokens::last_used_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?;
    Ok(updated == 1)
}
