//! The errors of the database layer.

use diesel_async::pooled_connection::deadpool::{BuildError, PoolError};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot create the connection pool: {0}")]
    Build(#[from] BuildError),
    #[error("no database connection: {0}")]
    Pool(#[from] PoolError),
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("migration failed: {0}")]
    Migration(String),
}
