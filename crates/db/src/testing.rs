//! Per-test databases: every integration test gets its own freshly migrated database, cloned from
//! a template that is migrated once per migration set, so tests run in parallel without sharing
//! state. Needs `BERTH_TEST_DATABASE_URL`: a superuser URL of a server (`cargo xtask test` sets it).

use crate::{DbError, Pool, PoolSettings, build_pool, migrations};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use std::time::Duration;

pub const TEST_DATABASE_URL_ENV: &str = "BERTH_TEST_DATABASE_URL";

/// Serialises template creation across test processes (nextest runs one process per test).
const TEMPLATE_LOCK: i64 = 0x6265_7274_685f_7470; // "berth_tp"

/// A database that exists for one test and is dropped with it.
#[derive(Debug)]
pub struct TestDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl TestDatabase {
    /// Creates `berth_test_<random>` from the migrated template.
    pub async fn create() -> Result<Self, DbError> {
        let admin_url = std::env::var(TEST_DATABASE_URL_ENV).map_err(|_| {
            DbError::Migration(format!(
                "{TEST_DATABASE_URL_ENV} is not set: run the tests with `cargo xtask test`, \
                 or set it to a superuser URL such as postgres://postgres@127.0.0.1:5432/postgres"
            ))
        })?;
        Self::create_on(admin_url).await
    }

    /// The same on another server (a test's private one), given its superuser URL.
    pub async fn create_on(admin_url: String) -> Result<Self, DbError> {
        let template = ensure_template(&admin_url).await?;
        let name = format!("berth_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = AsyncPgConnection::establish(&admin_url).await?;
        let mut attempt = 0;
        loop {
            let created = diesel::sql_query(format!(
                "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
            ))
            .execute(&mut admin)
            .await;
            match created {
                Ok(_) => break,
                // Another process may still be connected to the template for a moment.
                Err(e) if attempt < 20 && e.to_string().contains("being accessed") => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
        let url = database_url(&admin_url, &name);
        Ok(Self {
            admin_url,
            name,
            url,
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// A small pool on this database.
    pub fn pool(&self) -> Result<Pool, DbError> {
        build_pool(
            &self.url,
            PoolSettings {
                max_size: 4,
                ..PoolSettings::default()
            },
        )
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Drop cannot await, and may run inside a runtime: use a thread with its own runtime.
        let admin_url = self.admin_url.clone();
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut admin = AsyncPgConnection::establish(&admin_url).await.ok()?;
                diesel::sql_query(sql).execute(&mut admin).await.ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(_))) {
            tracing::warn!(database = %self.name, "could not drop test database");
        }
    }
}

/// The template's name changes whenever a migration does (the digest of their files is taken
/// by the build script).
fn template_name() -> String {
    format!("berth_template_{}", env!("BERTH_MIGRATIONS_DIGEST"))
}

async fn ensure_template(admin_url: &str) -> Result<String, DbError> {
    let template = template_name();
    let mut admin = AsyncPgConnection::establish(admin_url).await?;
    diesel::sql_query(format!("SELECT pg_advisory_lock({TEMPLATE_LOCK})"))
        .execute(&mut admin)
        .await?;
    let result = create_template_if_missing(&mut admin, admin_url, &template).await;
    diesel::sql_query(format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK})"))
        .execute(&mut admin)
        .await?;
    result.map(|()| template)
}

async fn create_template_if_missing(
    admin: &mut AsyncPgConnection,
    admin_url: &str,
    template: &str,
) -> Result<(), DbError> {
    #[derive(diesel::QueryableByName)]
    struct Found {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        #[allow(dead_code)]
        one: i32,
    }
    let found: Vec<Found> =
        diesel::sql_query("SELECT 1 AS one FROM pg_database WHERE datname = $1 AND datistemplate")
            .bind::<diesel::sql_types::Text, _>(template)
            .load(admin)
            .await?;
    if !found.is_empty() {
        return Ok(());
    }
    // A half-made template from an interrupted run is rebuilt from scratch.
    diesel::sql_query(format!(
        "DROP DATABASE IF EXISTS \"{template}\" WITH (FORCE)"
    ))
    .execute(admin)
    .await?;
    diesel::sql_query(format!("CREATE DATABASE \"{template}\""))
        .execute(admin)
        .await?;
    migrations::run_pending(&database_url(admin_url, template)).await?;
    // Marked last: only a fully migrated database is ever used as a template.
    diesel::sql_query(format!(
        "ALTER DATABASE \"{template}\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"
    ))
    .execute(admin)
    .await?;
    Ok(())
}

/// The same server URL with another database name (keeps user, password, host and options).
fn database_url(admin_url: &str, database: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (admin_url, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{database}?{query}"),
        None => format!("{base}/{database}"),
    }
}

#[cfg(test)]
mod tests {
    use super::database_url;

    #[test]
    fn database_url_swaps_only_the_name() {
        assert_eq!(
            database_url("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            database_url("postgres://u:p@h/postgres?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(database_url("postgres://h:1", "x"), "postgres://h:1/x");
    }
}
