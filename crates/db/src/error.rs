//! The errors of the database layer.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
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
    Query(DieselError),
    #[error("migration failed: {0}")]
    Migration(String),
    /// A unique constraint refused the row (a taken username, an identity already linked, ...).
    /// `constraint` names it, e.g. [`crate::users::USERNAME_UNIQUE`].
    #[error("already exists ({constraint})")]
    Conflict { constraint: String },
    /// A CHECK or NOT NULL constraint refused a value (a malformed username, an unknown action).
    #[error("invalid value ({constraint})")]
    Invalid { constraint: String },
    /// A foreign key refused the row: it points at nothing, or something still points at it.
    #[error("missing or still referenced row ({constraint})")]
    Reference { constraint: String },
}

impl DbError {
    /// Whether this is a unique violation of the named constraint.
    pub fn is_conflict_on(&self, name: &str) -> bool {
        matches!(self, DbError::Conflict { constraint } if constraint == name)
    }
}

/// Every `?` on a diesel error lands here: constraint violations become their own variants, so
/// callers can answer "already taken" or "invalid" without parsing messages.
impl From<DieselError> for DbError {
    fn from(error: DieselError) -> Self {
        let DieselError::DatabaseError(kind, info) = &error else {
            return DbError::Query(error);
        };
        let constraint = info
            .constraint_name()
            .or(info.column_name())
            .unwrap_or("unknown")
            .to_string();
        match kind {
            DatabaseErrorKind::UniqueViolation => DbError::Conflict { constraint },
            DatabaseErrorKind::CheckViolation | DatabaseErrorKind::NotNullViolation => {
                DbError::Invalid { constraint }
            }
            DatabaseErrorKind::ForeignKeyViolation => DbError::Reference { constraint },
            _ => DbError::Query(error),
        }
    }
}
