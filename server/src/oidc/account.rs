//! The Berth user behind an OIDC identity: found by (issuer, subject), or created at the first
//! sign-in with a unique username, and given the role the groups claim maps to.

use berth_db::audit::{self, NewAuditEntry, Outcome};
use berth_db::users::{self, NewUser, User};
use berth_db::{DbError, identities};
use berth_domain::Role;
use diesel_async::AsyncConnection;
use std::net::IpAddr;

/// Who the verified ID token says signed in.
#[derive(Debug, Clone)]
pub struct Identity {
    pub provider: String,
    pub issuer: String,
    pub subject: String,
    pub preferred_username: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    /// The role the groups map to.
    pub role: Role,
    /// Whether the groups decide the role (then an existing user's role follows them).
    pub role_from_groups: bool,
}

#[derive(Debug)]
pub enum AccountError {
    Disabled(Box<User>),
    Db(DbError),
}

impl From<DbError> for AccountError {
    fn from(error: DbError) -> Self {
        AccountError::Db(error)
    }
}

/// The user to sign in, created or updated as needed (each change audited).
pub async fn resolve(
    conn: &mut berth_db::Connection,
    identity: &Identity,
    ip: IpAddr,
) -> Result<User, AccountError> {
    let user = match identities::find_by_identity(conn, &identity.issuer, &identity.subject).await?
    {
        Some(user) => user,
        None => create(conn, identity, ip).await?,
    };
    if user.is_disabled() {
        return Err(AccountError::Disabled(Box::new(user)));
    }
    if identity.role_from_groups && user.role != identity.role {
        let entry = NewAuditEntry::new(
            format!("oidc:{}", identity.provider),
            "user.role",
            Outcome::Success,
        )
        .actor(user.id)
        .target("user", user.id.to_string())
        .source_ip(ip)
        .details(serde_json::json!({
            "from": user.role.key(),
            "to": identity.role.key(),
            "via": "oidc groups",
            "provider": identity.provider,
        }));
        let updated = conn
            .transaction::<_, DbError, _>(async |conn| {
                let updated = users::update_role(conn, user.id, identity.role).await?;
                audit::insert(conn, &entry).await?;
                Ok(updated)
            })
            .await?;
        return Ok(updated.unwrap_or(user));
    }
    Ok(user)
}

/// A new user linked to the identity, in one transaction with its audit entry. A taken username
/// gets a numeric suffix; an identity linked meanwhile (a concurrent first sign-in) is reused.
async fn create(
    conn: &mut berth_db::Connection,
    identity: &Identity,
    ip: IpAddr,
) -> Result<User, DbError> {
    let base = base_username(identity);
    let display_name = identity
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(200).collect::<String>())
        .unwrap_or_else(|| base.clone());
    for attempt in 1..=50u32 {
        let username = candidate(&base, attempt);
        let new = NewUser {
            username: &username,
            display_name: &display_name,
            email: identity.email.as_deref(),
            role: identity.role,
            password_hash: None,
        };
        let entry = NewAuditEntry::new(
            format!("oidc:{}", identity.provider),
            "user.create",
            Outcome::Success,
        )
        .source_ip(ip)
        .details(serde_json::json!({
            "method": "oidc",
            "provider": identity.provider,
            "username": username,
            "role": identity.role.key(),
        }));
        let created = conn
            .transaction::<_, DbError, _>(async |conn| {
                let (user, _) = users::insert_audited(conn, &new, &entry).await?;
                identities::link_identity(conn, user.id, &identity.issuer, &identity.subject)
                    .await?;
                Ok(user)
            })
            .await;
        match created {
            Ok(user) => return Ok(user),
            Err(e) if e.is_conflict_on(users::USERNAME_UNIQUE) => continue,
            Err(e) if e.is_conflict_on(identities::ISSUER_SUBJECT_UNIQUE) => {
                if let Some(user) =
                    identities::find_by_identity(conn, &identity.issuer, &identity.subject).await?
                {
                    return Ok(user);
                }
                return Err(e);
            }
            Err(e) => return Err(e),
        }
    }
    Err(DbError::Conflict {
        constraint: users::USERNAME_UNIQUE.to_string(),
    })
}

/// `base`, then `base-2`, `base-3`, … within the 64-character limit.
fn candidate(base: &str, attempt: u32) -> String {
    if attempt == 1 {
        return base.to_string();
    }
    let suffix = format!("-{attempt}");
    let keep = 64 - suffix.len();
    format!("{}{suffix}", &base[..base.len().min(keep)])
}

/// From `preferred_username`, else the e-mail's local part, else `user`: lowercase, only
/// `[a-z0-9._-]` (anything else becomes `-`), at most 64 characters.
pub fn base_username(identity: &Identity) -> String {
    let raw = identity
        .preferred_username
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .or_else(|| identity.email.as_deref().and_then(|e| e.split('@').next()))
        .unwrap_or("user");
    let cleaned: String = raw
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    let cleaned = cleaned.trim_matches('-').to_string();
    if cleaned.is_empty() {
        "user".to_string()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(preferred: Option<&str>, email: Option<&str>) -> Identity {
        Identity {
            provider: "corp".into(),
            issuer: "https://idp.example".into(),
            subject: "s1".into(),
            preferred_username: preferred.map(str::to_string),
            email: email.map(str::to_string),
            name: None,
            role: Role::Viewer,
            role_from_groups: false,
        }
    }

    #[test]
    fn usernames_come_from_preferred_username_or_email() {
        assert_eq!(
            base_username(&identity(Some("Alice.Smith"), None)),
            "alice.smith"
        );
        assert_eq!(
            base_username(&identity(None, Some("Bob@example.com"))),
            "bob"
        );
        assert_eq!(base_username(&identity(Some(" "), Some("c@x"))), "c");
        assert_eq!(
            base_username(&identity(Some("Jürgen Groß"), None)),
            "j-rgen-gro"
        );
        assert_eq!(base_username(&identity(None, None)), "user");
        assert_eq!(base_username(&identity(Some("ÿÿ"), None)), "user");
        assert_eq!(
            base_username(&identity(Some(&"x".repeat(80)), None)).len(),
            64
        );
    }

    #[test]
    fn suffixes_keep_the_name_within_64_characters() {
        assert_eq!(candidate("alice", 1), "alice");
        assert_eq!(candidate("alice", 2), "alice-2");
        let long = "x".repeat(64);
        assert_eq!(candidate(&long, 12).len(), 64);
        assert!(candidate(&long, 12).ends_with("-12"));
    }
}
