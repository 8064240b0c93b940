//! `berth-server token create`: a personal API token for automation, printed once.

use super::{CLI_ACTOR, connect};
use crate::config::ServerConfig;
use anyhow::{Context as _, bail};
use berth_auth::api_token::{generate, validate_requested_role};
use berth_db::api_tokens::{self, NewApiToken};
use berth_db::audit::{self, NewAuditEntry, Outcome};
use berth_db::users;
use berth_domain::Role;
use diesel_async::AsyncConnection as _;

#[derive(Debug, Clone, clap::Args)]
pub struct CreateToken {
    /// The owner.
    #[arg(long)]
    pub username: String,
    /// A label to recognise the token by, unique among the owner's tokens.
    #[arg(long)]
    pub name: String,
    /// Days until it expires (1–3650); without it the token does not expire.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub expires_in: Option<u32>,
    /// At most the owner's role (the default).
    #[arg(long)]
    pub role: Option<Role>,
}

pub async fn create(config: &ServerConfig, args: &CreateToken) -> anyhow::Result<()> {
    let name = args.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        bail!("--name must be 1 to 100 characters");
    }
    let (_pool, mut conn) = connect(config).await?;
    let Some(owner) = users::find_by_username(&mut conn, &args.username).await? else {
        bail!("no user named {:?}", args.username);
    };
    if owner.disabled_at.is_some() {
        bail!("user {:?} is disabled", owner.username);
    }
    let role = args.role.unwrap_or(owner.role);
    validate_requested_role(role, owner.role).map_err(|e| anyhow::anyhow!("{e}"))?;
    let (plain, stored) = generate().context("cannot generate a token")?;
    let expires_at = args
        .expires_in
        .map(|days| chrono::Utc::now() + chrono::Duration::days(i64::from(days)));
    let new = NewApiToken {
        user_id: owner.id,
        name,
        lookup: &stored.lookup,
        secret_hash: &stored.hash,
        role,
        expires_at,
    };
    let token = conn
        .transaction::<_, berth_db::DbError, _>(async |conn| {
            let token = api_tokens::insert(conn, &new).await?;
            let entry = NewAuditEntry::new(CLI_ACTOR, "token.create", Outcome::Success)
                .target("api_token", token.id.to_string())
                .details(serde_json::json!({
                    "owner": owner.username, "name": name, "role": role.key(),
                }));
            audit::insert(conn, &entry).await?;
            Ok(token)
        })
        .await;
    let token = match token {
        Ok(token) => token,
        Err(e) if e.is_conflict_on(api_tokens::USER_NAME_UNIQUE) => {
            bail!("{:?} already has a token named {name:?}", owner.username)
        }
        Err(e) => return Err(e).context("cannot store the token"),
    };
    let expiry = token.expires_at.map_or("never expires".to_string(), |at| {
        format!("expires {}", at.to_rfc3339())
    });
    eprintln!(
        "created token {name:?} for {} with role {role} ({expiry}); it is shown only now:",
        owner.username
    );
    #[allow(clippy::print_stdout)]
    {
        println!("{}", plain.expose());
    }
    Ok(())
}
