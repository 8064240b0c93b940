//! `berth-server user create`: a local account, for the first admin and for automation.

use super::{CLI_ACTOR, connect};
use crate::config::ServerConfig;
use anyhow::{Context as _, bail};
use berth_auth::password::{Hasher, Password, check_new_password};
use berth_db::audit::{NewAuditEntry, Outcome};
use berth_db::users::{self, NewUser};
use berth_domain::Role;
use std::io::Read as _;

#[derive(Debug, Clone, clap::Args)]
pub struct CreateUser {
    /// Login name: 1–64 of a–z, 0–9, `.`, `_`, `-` (stored lowercase).
    #[arg(long)]
    pub username: String,
    /// viewer, operator or admin.
    #[arg(long)]
    pub role: Role,
    /// The name people see; defaults to the username.
    #[arg(long)]
    pub display_name: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    /// Read the password from standard input (never from the command line, where `ps` shows it).
    #[arg(long, required = true)]
    pub password_stdin: bool,
}

pub async fn create(config: &ServerConfig, args: &CreateUser) -> anyhow::Result<()> {
    let password = read_password()?;
    let username = users::normalize_username(&args.username);
    check_new_password(&password, &username).map_err(|e| anyhow::anyhow!("{e}"))?;
    let hash = Hasher::new(Default::default())?
        .hash_blocking(password)
        .await
        .context("cannot hash the password")?;
    let display_name = args
        .display_name
        .clone()
        .unwrap_or_else(|| username.clone());
    let (_pool, mut conn) = connect(config).await?;
    let new = NewUser {
        username: &username,
        display_name: &display_name,
        email: args.email.as_deref(),
        role: args.role,
        password_hash: Some(&hash),
    };
    let entry = NewAuditEntry::new(CLI_ACTOR, "user.create", Outcome::Success)
        .details(serde_json::json!({ "username": username, "role": args.role.key() }));
    match users::insert_audited(&mut conn, &new, &entry).await {
        Ok((user, _)) => {
            eprintln!(
                "created user {} ({}) with role {}",
                user.username, user.id, user.role
            );
            Ok(())
        }
        Err(e) if e.is_conflict_on(users::USERNAME_UNIQUE) => {
            bail!("a user named {username:?} already exists")
        }
        Err(e) => Err(e).context("cannot create the user"),
    }
}

/// The whole of stdin, without the final line break a shell or `echo` adds.
fn read_password() -> anyhow::Result<Password> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("cannot read the password from standard input")?;
    let text = text.strip_suffix('\n').unwrap_or(&text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    Ok(Password::new(text))
}
