//! API-token throttling: failed bearer-token attempts counted per source address.
//!
//! Token secrets are 256-bit random, so guessing one is hopeless; what this stops is a client
//! hammering the API (and the database behind the token lookup) with tokens that do not work,
//! whether a script with a revoked token in a retry loop or someone probing. Once an address has
//! used up its failures, every bearer attempt from it is refused until the window ends, even one
//! with a valid token: the check comes before the token is looked up, so a throttled address
//! costs one Redis read and no database work. A successful attempt does not reset the counter:
//! one valid token must not buy an address a fresh allowance of bad ones.

use super::counter::{self, Counter};
use super::key::ip_part;
use super::{ThrottleError, Throttled};
use fred::prelude::Client;
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// Default: 30 failures per address per 15 minutes, like failed sign-ins.
#[derive(Debug, Clone)]
pub struct TokenThrottleConfig {
    /// Prepended to every key, e.g. `berth:`.
    pub prefix: String,
    pub ip_limit: u32,
    pub ip_window: Duration,
}

impl Default for TokenThrottleConfig {
    fn default() -> Self {
        Self {
            prefix: "berth:".to_string(),
            ip_limit: 30,
            ip_window: Duration::from_secs(15 * 60),
        }
    }
}

/// Failed API-token counters. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct TokenThrottle {
    client: Client,
    config: Arc<TokenThrottleConfig>,
}

impl fmt::Debug for TokenThrottle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenThrottle")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl TokenThrottle {
    pub fn new(client: Client, config: TokenThrottleConfig) -> Self {
        Self {
            client,
            config: Arc::new(config),
        }
    }

    /// The same counters (client and key prefix) with another limit and window.
    pub fn with_limit(&self, ip_limit: u32, ip_window: Duration) -> Self {
        Self::new(
            self.client.clone(),
            TokenThrottleConfig {
                prefix: self.config.prefix.clone(),
                ip_limit,
                ip_window,
            },
        )
    }

    pub fn config(&self) -> &TokenThrottleConfig {
        &self.config
    }

    fn counter(&self, ip: IpAddr) -> Counter {
        Counter {
            key: format!("{}token-failures:ip:{}", self.config.prefix, ip_part(ip)),
            limit: self.config.ip_limit,
            window: self.config.ip_window,
        }
    }

    /// `Err(Throttled)` while the address has used up its failures.
    pub async fn check(&self, ip: IpAddr) -> Result<(), ThrottleError> {
        match counter::wait(&self.client, &[self.counter(ip)]).await? {
            Some(retry_after) => Err(ThrottleError::Throttled(Throttled { retry_after })),
            None => Ok(()),
        }
    }

    /// Counts a failed attempt from `ip`. `true` for exactly the failure that reached the
    /// limit, so that the caller can log (or audit) once per address and window, not each one.
    pub async fn record_failure(&self, ip: IpAddr) -> Result<bool, ThrottleError> {
        let counts = counter::increment(&self.client, &[self.counter(ip)]).await?;
        Ok(counts.first().copied() == Some(i64::from(self.config.ip_limit)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_thirty_per_address_per_quarter_hour() {
        let config = TokenThrottleConfig::default();
        assert_eq!(config.ip_limit, 30);
        assert_eq!(config.ip_window, Duration::from_secs(900));
        assert_eq!(config.prefix, "berth:");
    }
}
