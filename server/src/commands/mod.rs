//! Administrative commands of `berth-server` (bootstrap and automation): they talk to the
//! database directly, write audit entries, and print secrets only once, to stdout.

pub mod backup;
pub mod token;
pub mod user;

use crate::config::ServerConfig;
use anyhow::Context as _;
use berth_db::{Connection, Pool, PoolSettings};

/// How the command line appears in the audit trail.
pub const CLI_ACTOR: &str = "berth-server (command line)";

/// One connection for a short command; the schema must be current.
pub async fn connect(config: &ServerConfig) -> anyhow::Result<(Pool, Connection)> {
    let pool = berth_db::build_pool(
        config.common.database.url.expose(),
        PoolSettings {
            max_size: 2,
            ..PoolSettings::default()
        },
    )?;
    let conn = pool
        .get()
        .await
        .context("cannot connect to the database (BERTH_DATABASE_URL)")?;
    Ok((pool, conn))
}
