//! Migrations embedded from `migrations/`, run at start-up by `berth-server` and by
//! `berth-server migrate`.

use crate::DbError;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// Serialises concurrent migrators (several servers starting together) on one advisory lock.
const MIGRATION_LOCK: i64 = 0x6265_7274_685f_6d67; // "berth_mg"

/// Applies every pending migration and returns the versions applied.
pub async fn run_pending(database_url: &str) -> Result<Vec<String>, DbError> {
    let mut conn = AsyncPgConnection::establish(database_url).await?;
    diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))
        .execute(&mut conn)
        .await?;
    let wrapper: AsyncConnectionWrapper<AsyncPgConnection> = AsyncConnectionWrapper::from(conn);
    // The harness is synchronous: run it where blocking is allowed. The lock is released when
    // the connection closes at the end of the task.
    tokio::task::spawn_blocking(move || {
        let mut wrapper = wrapper;
        wrapper
            .run_pending_migrations(MIGRATIONS)
            .map(|versions| versions.iter().map(ToString::to_string).collect())
            .map_err(|e| DbError::Migration(e.to_string()))
    })
    .await
    .map_err(|e| DbError::Migration(format!("migration task failed: {e}")))?
}

/// The names of all embedded migrations, oldest first.
pub fn embedded_names() -> Vec<String> {
    use diesel::migration::MigrationSource;
    use diesel::pg::Pg;
    MigrationSource::<Pg>::migrations(&MIGRATIONS)
        .map(|list| list.iter().map(|m| m.name().to_string()).collect())
        .unwrap_or_default()
}
