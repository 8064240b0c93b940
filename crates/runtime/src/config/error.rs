//! Configuration errors: one line each, naming the variable and what was expected.

use super::source::Origin;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{env} is not set: expected {expected} (or `{key}` in the config file)")]
    Missing {
        env: &'static str,
        key: &'static str,
        expected: &'static str,
    },
    #[error("{}: expected {expected}, got {}", origin.describe(env, key), shown(value.as_deref()))]
    Invalid {
        env: &'static str,
        key: &'static str,
        origin: Origin,
        expected: String,
        /// `None` for secrets: their value is never repeated.
        value: Option<String>,
    },
    #[error("{settings}: expected {expected}")]
    Conflict {
        settings: &'static str,
        expected: &'static str,
    },
    #[error("cannot read config file {}: {reason}", path.display())]
    File { path: PathBuf, reason: String },
    #[error("config file {}: unknown setting `{key}` (known: {known})", path.display())]
    UnknownKey {
        path: PathBuf,
        key: String,
        known: String,
    },
}

fn shown(value: Option<&str>) -> String {
    match value {
        Some(v) => format!("{v:?}"),
        None => "a value that is not shown because it is secret".to_string(),
    }
}
