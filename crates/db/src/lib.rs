//! Berth's PostgreSQL layer: the diesel schema, queries by domain, the connection pool and the
//! migrations embedded from `migrations/`.

pub mod error;
pub mod migrations;
pub mod pool;
pub mod schema;
pub mod workers;

#[cfg(feature = "testing")]
pub mod testing;

pub use error::DbError;
pub use pool::{Connection, Pool, PoolSettings, build_pool, ping};
