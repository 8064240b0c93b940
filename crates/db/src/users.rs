//! Users: local accounts and SSO users, their roles, and whether they may sign in.

use crate::audit::{self, AuditEntry, NewAuditEntry};
use crate::page::Page;
use crate::role::DbRole;
use crate::schema::users;
use crate::{Connection, DbError};
use berth_domain::Role;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Timestamptz};
use diesel_async::{AsyncConnection, RunQueryDsl};
use std::fmt;
use uuid::Uuid;

pub use crate::identities::{find_by_identity, link_identity};

/// The unique constraint a taken username violates (see [`DbError::is_conflict_on`]).
pub const USERNAME_UNIQUE: &str = "users_username_unique";
/// The CHECK a malformed username violates: 1–64 of `[a-z0-9._-]` after normalisation.
pub const USERNAME_FORMAT: &str = "users_username_format";

#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct User {
    pub id: Uuid,
    /// Normalised: trimmed and lowercase.
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    #[diesel(deserialize_as = DbRole)]
    pub role: Role,
    /// An argon2id PHC string; `None` for SSO-only users.
    pub password_hash: Option<String>,
    pub disabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

impl User {
    pub fn is_disabled(&self) -> bool {
        self.disabled_at.is_some()
    }
}

/// Never prints the password hash.
impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("display_name", &self.display_name)
            .field("email", &self.email)
            .field("role", &self.role)
            .field("has_password", &self.password_hash.is_some())
            .field("disabled_at", &self.disabled_at)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .field("last_login_at", &self.last_login_at)
            .finish()
    }
}

#[derive(Clone)]
pub struct NewUser<'a> {
    /// Normalised by [`insert`] (see [`normalize_username`]).
    pub username: &'a str,
    pub display_name: &'a str,
    pub email: Option<&'a str>,
    pub role: Role,
    pub password_hash: Option<&'a str>,
}

impl fmt::Debug for NewUser<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("display_name", &self.display_name)
            .field("email", &self.email)
            .field("role", &self.role)
            .field("has_password", &self.password_hash.is_some())
            .finish()
    }
}

/// The stored form of a username: trimmed and lowercase, so `Alice` and `alice` are one user.
pub fn normalize_username(username: &str) -> String {
    username.trim().to_lowercase()
}

/// Creates a user. A taken username (in any case) is [`DbError::Conflict`] on
/// [`USERNAME_UNIQUE`]; a malformed one is [`DbError::Invalid`] on [`USERNAME_FORMAT`].
pub async fn insert(conn: &mut Connection, new: &NewUser<'_>) -> Result<User, DbError> {
    Ok(diesel::insert_into(users::table)
        .values((
            users::username.eq(normalize_username(new.username)),
            users::display_name.eq(new.display_name.trim()),
            users::email.eq(new.email),
            users::role.eq(DbRole(new.role)),
            users::password_hash.eq(new.password_hash),
        ))
        .returning(User::as_returning())
        .get_result(conn)
        .await?)
}

/// Creates a user and its audit entry in one transaction: both are written or neither is. The
/// entry's target is set to the new user (`user`, its id).
pub async fn insert_audited(
    conn: &mut Connection,
    new: &NewUser<'_>,
    entry: &NewAuditEntry,
) -> Result<(User, AuditEntry), DbError> {
    conn.transaction::<_, DbError, _>(async |conn| {
        let user = insert(conn, new).await?;
        let entry = NewAuditEntry {
            target_type: Some("user".to_string()),
            target_id: Some(user.id.to_string()),
            ..entry.clone()
        };
        let written = audit::insert(conn, &entry).await?;
        Ok((user, written))
    })
    .await
}

pub async fn find_by_id(conn: &mut Connection, id: Uuid) -> Result<Option<User>, DbError> {
    Ok(users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Case-insensitive: the name is normalised like at insert. Disabled users are returned too:
/// the caller refuses them (with the same generic message as a wrong password).
pub async fn find_by_username(
    conn: &mut Connection,
    username: &str,
) -> Result<Option<User>, DbError> {
    Ok(users::table
        .filter(users::username.eq(normalize_username(username)))
        .select(User::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// One page of users, ordered by username.
pub async fn list(conn: &mut Connection, page: Page) -> Result<Vec<User>, DbError> {
    Ok(users::table
        .order(users::username.asc())
        .limit(page.limit())
        .offset(page.offset())
        .select(User::as_select())
        .load(conn)
        .await?)
}

pub async fn count(conn: &mut Connection) -> Result<i64, DbError> {
    Ok(users::table.count().get_result(conn).await?)
}

/// `None` when there is no such user.
pub async fn update_role(
    conn: &mut Connection,
    id: Uuid,
    role: Role,
) -> Result<Option<User>, DbError> {
    Ok(diesel::update(users::table.find(id))
        .set((
            users::role.eq(DbRole(role)),
            users::updated_at.eq(diesel::dsl::now),
        ))
        .returning(User::as_returning())
        .get_result(conn)
        .await
        .optional()?)
}

/// Disables (keeping the first `disabled_at` when already disabled) or re-enables a user.
/// `None` when there is no such user.
pub async fn set_disabled(
    conn: &mut Connection,
    id: Uuid,
    disabled: bool,
) -> Result<Option<User>, DbError> {
    let disabled_at = if disabled {
        "COALESCE(disabled_at, now())"
    } else {
        "NULL"
    };
    Ok(diesel::update(users::table.find(id))
        .set((
            users::disabled_at.eq(diesel::dsl::sql::<Nullable<Timestamptz>>(disabled_at)),
            users::updated_at.eq(diesel::dsl::now),
        ))
        .returning(User::as_returning())
        .get_result(conn)
        .await
        .optional()?)
}

/// Sets (or with `None` removes, making the user SSO-only) the password hash; false when there
/// is no such user.
pub async fn set_password_hash(
    conn: &mut Connection,
    id: Uuid,
    password_hash: Option<&str>,
) -> Result<bool, DbError> {
    let updated = diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(password_hash),
            users::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(updated == 1)
}

/// Records a successful sign-in now (by the database's clock); false when there is no such user.
pub async fn touch_last_login(conn: &mut Connection, id: Uuid) -> Result<bool, DbError> {
    let updated = diesel::update(users::table.find(id))
        .set(users::last_login_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?;
    Ok(updated == 1)
}

/// The admins who are not disabled.
pub async fn count_admins(conn: &mut Connection) -> Result<i64, DbError> {
    Ok(users::table
        .filter(users::role.eq(DbRole(Role::Admin)))
        .filter(users::disabled_at.is_null())
        .count()
        .get_result(conn)
        .await?)
}

/// Like [`count_admins`], but locks those admins' rows until the end of the caller's
/// transaction. Call it inside the transaction that demotes or disables an admin: two admins
/// demoting each other at once are then serialised, and the second sees one admin left.
pub async fn count_admins_for_update(conn: &mut Connection) -> Result<i64, DbError> {
    let ids: Vec<Uuid> = users::table
        .filter(users::role.eq(DbRole(Role::Admin)))
        .filter(users::disabled_at.is_null())
        .select(users::id)
        .for_update()
        .load(conn)
        .await?;
    Ok(i64::try_from(ids.len()).unwrap_or(i64::MAX))
}
