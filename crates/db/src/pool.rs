//! The deadpool pool of async diesel connections. Building it connects to nothing, so a process
//! starts even while Postgres is down; every checkout is bounded in time.

use crate::DbError;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::pooled_connection::deadpool::{Object, Pool as DeadPool};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::time::Duration;

pub type Pool = DeadPool<AsyncPgConnection>;
pub type Connection = Object<AsyncPgConnection>;

#[derive(Debug, Clone, Copy)]
pub struct PoolSettings {
    pub max_size: usize,
    /// How long a checkout waits for a free connection.
    pub wait_timeout: Duration,
    /// How long opening a new connection may take (covers an unreachable host).
    pub connect_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_size: 16,
            wait_timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(5),
        }
    }
}

pub fn build_pool(url: &str, settings: PoolSettings) -> Result<Pool, DbError> {
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(url);
    Ok(Pool::builder(manager)
        .max_size(settings.max_size)
        .runtime(deadpool::Runtime::Tokio1)
        .wait_timeout(Some(settings.wait_timeout))
        .create_timeout(Some(settings.connect_timeout))
        .recycle_timeout(Some(settings.connect_timeout))
        .build()?)
}

/// One round trip: proves a connection can be had and the server answers.
pub async fn ping(pool: &Pool) -> Result<(), DbError> {
    let mut conn = pool.get().await?;
    diesel::sql_query("SELECT 1").execute(&mut conn).await?;
    Ok(())
}
