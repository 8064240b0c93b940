//! Berth's PostgreSQL layer: the diesel schema, queries by domain, the connection pool and the
//! migrations embedded from `migrations/`.

pub mod actions;
pub mod api_tokens;
pub mod audit;
pub mod catalog;
pub mod error;
pub mod identities;
pub mod migrations;
pub mod page;
pub mod pool;
pub mod role;
pub mod runs;
pub mod schema;
pub mod users;
pub mod workers;

#[cfg(feature = "testing")]
pub mod testing;

pub use error::DbError;
pub use page::Page;
pub use pool::{Connection, Pool, PoolSettings, build_pool, ping};
