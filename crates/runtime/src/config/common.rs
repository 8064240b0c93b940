//! Settings every Berth process reads: the database, Redis and logging.

use super::catalog::{
    DATABASE_POOL_SIZE, DATABASE_URL, LOG, LOG_FORMAT, REDIS_KEY_PREFIX, REDIS_URL,
};
use super::{ConfigError, ProxmoxConfig, Source, parse_postgres_url, parse_redis_url};
use crate::Secret;
use crate::telemetry::{LogConfig, LogFormat, parse_filter};

#[derive(Debug, Clone)]
pub struct DatabaseConfig {
    pub url: Secret<String>,
    pub pool_size: usize,
}

#[derive(Debug, Clone)]
pub struct RedisConfig {
    pub url: Secret<String>,
    /// Prepended to every key Berth writes.
    pub key_prefix: String,
}

#[derive(Debug, Clone)]
pub struct CommonConfig {
    pub database: DatabaseConfig,
    pub redis: RedisConfig,
    pub log: LogConfig,
    /// `None` when no Proxmox VE is configured.
    pub proxmox: Option<ProxmoxConfig>,
}

impl CommonConfig {
    pub fn from_source(source: &Source) -> Result<Self, ConfigError> {
        let pool_size = source.get(&DATABASE_POOL_SIZE, |v| {
            v.parse::<usize>()
                .ok()
                .filter(|n| (1..=1024).contains(n))
                .ok_or_else(|| DATABASE_POOL_SIZE.expected.to_string())
        })?;
        let filter = source.get(&LOG, |v| parse_filter(v).map(|()| v.to_string()))?;
        Ok(CommonConfig {
            database: DatabaseConfig {
                url: source.get(&DATABASE_URL, parse_postgres_url)?,
                pool_size,
            },
            redis: RedisConfig {
                url: source.get(&REDIS_URL, parse_redis_url)?,
                key_prefix: source.get(&REDIS_KEY_PREFIX, parse_key_prefix)?,
            },
            log: LogConfig {
                format: source.parse::<LogFormat>(&LOG_FORMAT)?,
                filter,
            },
            proxmox: ProxmoxConfig::from_source(source)?,
        })
    }
}

fn parse_key_prefix(value: &str) -> Result<String, String> {
    let ok = (1..=64).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '.'));
    if ok {
        Ok(value.to_string())
    } else {
        Err(REDIS_KEY_PREFIX.expected.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> Vec<(&'static str, &'static str)> {
        vec![
            ("BERTH_DATABASE_URL", "postgres://berth:secret@db/berth"),
            ("BERTH_REDIS_URL", "redis://cache:6379"),
        ]
    }

    #[test]
    fn defaults_fill_the_rest() {
        let config = CommonConfig::from_source(&Source::from_env_pairs(valid())).unwrap();
        assert_eq!(config.database.pool_size, 16);
        assert_eq!(config.log.format, LogFormat::Pretty);
        assert!(
            !format!("{config:?}").contains("secret@"),
            "URLs are redacted in Debug"
        );
    }

    #[test]
    fn each_bad_value_names_its_variable() {
        let cases = [
            (
                "BERTH_DATABASE_URL",
                "mysql://db/x",
                "BERTH_DATABASE_URL: expected",
            ),
            ("BERTH_REDIS_URL", "cache:6379", "BERTH_REDIS_URL: expected"),
            (
                "BERTH_DATABASE_POOL_SIZE",
                "0",
                "BERTH_DATABASE_POOL_SIZE: expected",
            ),
            (
                "BERTH_LOG_FORMAT",
                "xml",
                "BERTH_LOG_FORMAT: expected `pretty` or `json`",
            ),
            (
                "BERTH_LOG",
                "info,=[",
                "BERTH_LOG: expected a tracing filter",
            ),
            (
                "BERTH_REDIS_KEY_PREFIX",
                "a b",
                "BERTH_REDIS_KEY_PREFIX: expected 1 to 64",
            ),
        ];
        for (env, value, message) in cases {
            let mut pairs = valid();
            pairs.retain(|(k, _)| *k != env);
            pairs.push((env, value));
            let err = CommonConfig::from_source(&Source::from_env_pairs(pairs))
                .unwrap_err()
                .to_string();
            assert!(err.starts_with(message), "{env}: {err}");
            assert!(!err.contains('\n'), "one line: {err}");
        }
    }

    #[test]
    fn missing_database_url_is_reported() {
        let err = CommonConfig::from_source(&Source::from_env_pairs([(
            "BERTH_REDIS_URL",
            "redis://cache",
        )]))
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("BERTH_DATABASE_URL is not set"), "{err}");
    }
}
