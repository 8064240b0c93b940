use crate::DbError;
use berth_domain::template::FieldProblem;

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error(transparent)]
    Db(#[from] DbError),
    /// The content breaks a rule; every problem names its field.
    #[error("invalid: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldProblem>),
    #[error("not found")]
    NotFound,
    /// Someone saved a newer version since the editor loaded `base`.
    #[error("version {current} was saved meanwhile")]
    Stale { current: i32 },
    /// A bucket cannot be deleted while these templates install it.
    #[error("in use by {}", .templates.join(", "))]
    InUse { templates: Vec<String> },
    /// Stored JSON that no longer reads as the domain type (a bug or a manual edit).
    #[error("stored content cannot be read: {0}")]
    Corrupt(String),
}

impl From<diesel::result::Error> for CatalogError {
    fn from(error: diesel::result::Error) -> Self {
        CatalogError::Db(error.into())
    }
}

impl CatalogError {
    pub fn invalid(path: &str, message: impl Into<String>) -> Self {
        CatalogError::Invalid(vec![FieldProblem {
            path: path.to_string(),
            message: message.into(),
        }])
    }
}

pub(super) fn decode<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, CatalogError> {
    serde_json::from_value(value).map_err(|e| CatalogError::Corrupt(e.to_string()))
}

/// [`decode`] for JSON read as text, without a `serde_json::Value` in between.
pub(super) fn decode_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, CatalogError> {
    serde_json::from_str(text).map_err(|e| CatalogError::Corrupt(e.to_string()))
}

pub(super) fn encode<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, CatalogError> {
    serde_json::to_value(value).map_err(|e| CatalogError::Corrupt(e.to_string()))
}
