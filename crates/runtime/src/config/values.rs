//! Parsers for values that several settings share. Each returns what was expected on error.

use crate::Secret;
use std::time::Duration;
use url::Url;

/// A PostgreSQL connection URL. Kept secret: it may carry a password.
pub fn parse_postgres_url(value: &str) -> Result<Secret<String>, String> {
    const EXPECTED: &str = "a PostgreSQL URL such as postgres://berth@127.0.0.1:5432/berth";
    let url = Url::parse(value).map_err(|_| EXPECTED.to_string())?;
    if !matches!(url.scheme(), "postgres" | "postgresql") {
        return Err(format!(
            "{EXPECTED} (the scheme must be postgres:// or postgresql://)"
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("{EXPECTED} (a host is required)"));
    }
    if url.path().trim_start_matches('/').is_empty() {
        return Err(format!("{EXPECTED} (a database name is required)"));
    }
    Ok(Secret::new(value.to_string()))
}

/// A Redis connection URL. Kept secret: it may carry a password.
pub fn parse_redis_url(value: &str) -> Result<Secret<String>, String> {
    const EXPECTED: &str = "a Redis URL such as redis://127.0.0.1:6379";
    let url = Url::parse(value).map_err(|_| EXPECTED.to_string())?;
    if !matches!(url.scheme(), "redis" | "rediss") {
        return Err(format!(
            "{EXPECTED} (the scheme must be redis:// or rediss://)"
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("{EXPECTED} (a host is required)"));
    }
    Ok(Secret::new(value.to_string()))
}

/// A positive number of seconds, whole or fractional (`5`, `0.5`).
pub fn parse_duration_secs(value: &str) -> Result<Duration, String> {
    const EXPECTED: &str = "a positive number of seconds such as 5 or 0.5";
    let secs: f64 = value.parse().map_err(|_| EXPECTED.to_string())?;
    if !secs.is_finite() || secs <= 0.0 || secs > 86_400.0 * 365.0 {
        return Err(EXPECTED.to_string());
    }
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_urls() {
        assert!(parse_postgres_url("postgres://berth:pw@db:5432/berth").is_ok());
        assert!(parse_postgres_url("postgresql://127.0.0.1/berth").is_ok());
        assert!(
            parse_postgres_url("mysql://db/berth")
                .unwrap_err()
                .contains("scheme")
        );
        assert!(
            parse_postgres_url("postgres://db")
                .unwrap_err()
                .contains("database name")
        );
        assert!(parse_postgres_url("not a url").is_err());
    }

    #[test]
    fn redis_urls() {
        assert!(parse_redis_url("redis://127.0.0.1:6379").is_ok());
        assert!(parse_redis_url("rediss://:pw@cache:6380/2").is_ok());
        assert!(
            parse_redis_url("http://cache")
                .unwrap_err()
                .contains("scheme")
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_secs("5"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration_secs("0.5"), Ok(Duration::from_millis(500)));
        assert!(parse_duration_secs("0").is_err());
        assert!(parse_duration_secs("-1").is_err());
        assert!(parse_duration_secs("NaN").is_err());
        assert!(parse_duration_secs("5s").is_err());
    }
}
