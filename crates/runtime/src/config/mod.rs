//! Typed configuration from `BERTH_*` environment variables and an optional TOML file.
//!
//! Each binary declares the [`Setting`]s it reads; the same table renders `--help` and is the
//! single source of names, defaults and meanings. Precedence: environment, then file, then default.
//! A missing or malformed value is one [`ConfigError`] naming the variable and what was expected.

pub mod catalog;
mod common;
mod error;
pub mod oidc;
mod proxmox;
mod setting;
mod source;
mod values;

pub use catalog::{ALL_SETTINGS, COMMON_SETTINGS, SERVER_SETTINGS, WORKER_SETTINGS};
pub use common::{CommonConfig, DatabaseConfig, RedisConfig};
pub use error::ConfigError;
pub use proxmox::{ProxmoxConfig, PveTls};
pub use setting::{Setting, help_text};
pub use source::{CONFIG_FILE_ENV, Origin, Source};
pub use values::{parse_duration_secs, parse_postgres_url, parse_redis_url};
