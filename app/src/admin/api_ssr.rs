//! The server side of Admin → Users.

use crate::AppError;
use crate::auth::{client_ip, require};
use crate::state::app_state;
use berth_auth::password::{Hasher, Password, check_new_password};
use berth_auth::policy::{Action, Principal};
use berth_db::audit::{self, NewAuditEntry, Outcome};
use berth_db::users::{self, NewUser, User};
use berth_db::{DbError, Page};
use berth_domain::{Role, UserSummary};
use diesel_async::AsyncConnection as _;

pub enum Change {
    Role(Role),
    Disabled(bool),
}

pub async fn list() -> Result<Vec<UserSummary>, AppError> {
    require(Action::ManageUsers)?;
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    let page = Page::new(1000, 0);
    let all = users::list(&mut conn, page)
        .await
        .map_err(AppError::internal)?;
    Ok(all.into_iter().map(summary).collect())
}

pub async fn create(
    username: String,
    display_name: String,
    email: String,
    role: Role,
    password: String,
) -> Result<UserSummary, AppError> {
    let admin = require(Action::ManageUsers)?;
    let username = users::normalize_username(&username);
    if username.is_empty() {
        return Err(AppError::invalid("username", "Enter a username."));
    }
    let password = Password::new(password);
    check_new_password(&password, &username)
        .map_err(|e| AppError::invalid("password", e.to_string()))?;
    let hash = Hasher::new(Default::default())
        .map_err(AppError::internal)?
        .hash_blocking(password)
        .await
        .map_err(AppError::internal)?;
    let display_name = if display_name.trim().is_empty() {
        username.clone()
    } else {
        display_name.trim().to_string()
    };
    let email = Some(email.trim()).filter(|e| !e.is_empty());
    let new = NewUser {
        username: &username,
        display_name: &display_name,
        email,
        role,
        password_hash: Some(&hash),
    };
    let entry = entry(&admin, "user.create", Outcome::Success)
        .details(serde_json::json!({ "username": username, "role": role.key() }));
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    match users::insert_audited(&mut conn, &new, &entry).await {
        Ok((user, _)) => Ok(summary(user)),
        Err(e) if e.is_conflict_on(users::USERNAME_UNIQUE) => Err(AppError::invalid(
            "username",
            format!("A user named {username:?} already exists."),
        )),
        Err(DbError::Invalid { constraint }) => Err(invalid_field(&constraint)),
        Err(e) => Err(AppError::internal(e)),
    }
}

pub async fn change(user_id: String, change: Change) -> Result<UserSummary, AppError> {
    let admin = require(Action::ManageUsers)?;
    let id: uuid::Uuid = user_id
        .parse()
        .map_err(|_| AppError::invalid("user_id", "No such user."))?;
    if id == admin.user_id && matches!(change, Change::Disabled(true)) {
        return Err(AppError::invalid(
            "",
            "You cannot disable your own account.",
        ));
    }
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    let outcome = conn
        .transaction::<_, ChangeError, _>(async |conn| {
            let before = users::find_by_id(conn, id)
                .await?
                .ok_or(ChangeError::NoSuchUser)?;
            let loses_admin = before.role == Role::Admin
                && before.disabled_at.is_none()
                && match change {
                    Change::Role(role) => role != Role::Admin,
                    Change::Disabled(disabled) => disabled,
                };
            // Counting locks the admins' rows: two admins demoting each other wait in turn.
            if loses_admin && users::count_admins_for_update(conn).await? <= 1 {
                return Err(ChangeError::LastAdmin);
            }
            let (after, action, details) = match change {
                Change::Role(role) => (
                    users::update_role(conn, id, role).await?,
                    "user.role",
                    serde_json::json!({ "from": before.role.key(), "to": role.key() }),
                ),
                Change::Disabled(disabled) => (
                    users::set_disabled(conn, id, disabled).await?,
                    if disabled {
                        "user.disable"
                    } else {
                        "user.enable"
                    },
                    serde_json::json!({}),
                ),
            };
            let after = after.ok_or(ChangeError::NoSuchUser)?;
            let entry = entry(&admin, action, Outcome::Success)
                .target("user", after.id.to_string())
                .details(details);
            audit::insert(conn, &entry).await?;
            Ok(after)
        })
        .await;
    match outcome {
        // A disabled user's sessions stop working at their next request (the session
        // middleware checks the account every time) and are deleted then.
        Ok(user) => Ok(summary(user)),
        Err(ChangeError::NoSuchUser) => Err(AppError::invalid("user_id", "No such user.")),
        Err(ChangeError::LastAdmin) => Err(AppError::invalid(
            "role",
            "Berth needs at least one active admin: make another user admin first.",
        )),
        Err(ChangeError::Db(e)) => Err(AppError::internal(e)),
    }
}

enum ChangeError {
    NoSuchUser,
    LastAdmin,
    Db(DbError),
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

pub(super) fn entry(admin: &Principal, action: &str, outcome: Outcome) -> NewAuditEntry {
    let entry = NewAuditEntry::new(admin.username.clone(), action, outcome).actor(admin.user_id);
    match client_ip() {
        Some(ip) => entry.source_ip(ip),
        None => entry,
    }
}

fn invalid_field(constraint: &str) -> AppError {
    if constraint.contains("username") {
        AppError::invalid(
            "username",
            "Use 1–64 of a–z, 0–9, dot, dash and underscore.",
        )
    } else if constraint.contains("email") {
        AppError::invalid("email", "Enter an email address such as ops@example.com.")
    } else if constraint.contains("display_name") {
        AppError::invalid("display_name", "Use 1–128 characters.")
    } else {
        AppError::invalid("", "The user could not be saved as entered.")
    }
}

fn summary(user: User) -> UserSummary {
    UserSummary {
        id: user.id.to_string(),
        username: user.username,
        display_name: user.display_name,
        email: user.email,
        role: user.role,
        disabled: user.disabled_at.is_some(),
        has_password: user.password_hash.is_some(),
        created_at: user
            .created_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        last_login_at: user
            .last_login_at
            .map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
    }
}
