//! Sign-in throttling: check before a sign-in attempt, record its outcome after.

use super::counter::{self, Counter};
use super::key::{account_part, ip_part};
use super::{ThrottleError, Throttled};
use fred::prelude::{Client, KeysInterface};
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// Limits and windows. Defaults: 5 failures per account and 30 per address, per 15 minutes.
#[derive(Debug, Clone)]
pub struct ThrottleConfig {
    /// Prepended to every key, e.g. `berth:`. Tests use a unique prefix each.
    pub prefix: String,
    pub account_limit: u32,
    pub account_window: Duration,
    pub ip_limit: u32,
    pub ip_window: Duration,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        Self {
            prefix: "berth:".to_string(),
            account_limit: 5,
            account_window: Duration::from_secs(15 * 60),
            ip_limit: 30,
            ip_window: Duration::from_secs(15 * 60),
        }
    }
}

/// Failed sign-in counters. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct LoginThrottle {
    client: Client,
    config: Arc<ThrottleConfig>,
}

impl fmt::Debug for LoginThrottle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginThrottle")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl LoginThrottle {
    pub fn new(client: Client, config: ThrottleConfig) -> Self {
        Self {
            client,
            config: Arc::new(config),
        }
    }

    fn account_key(&self, account: &str) -> String {
        format!(
            "{}login-failures:account:{}",
            self.config.prefix,
            account_part(account)
        )
    }

    /// The account's counter and the address's, in that order.
    fn counters(&self, account: &str, ip: IpAddr) -> [Counter; 2] {
        [
            Counter {
                key: self.account_key(account),
                limit: self.config.account_limit,
                window: self.config.account_window,
            },
            Counter {
                key: format!("{}login-failures:ip:{}", self.config.prefix, ip_part(ip)),
                limit: self.config.ip_limit,
                window: self.config.ip_window,
            },
        ]
    }

    /// `Err(Throttled)` if either the account or the address has used up its failures; the wait
    /// is the longer of the two when both have.
    pub async fn check(&self, account: &str, ip: IpAddr) -> Result<(), ThrottleError> {
        match counter::wait(&self.client, &self.counters(account, ip)).await? {
            Some(retry_after) => Err(ThrottleError::Throttled(Throttled { retry_after })),
            None => Ok(()),
        }
    }

    /// Counts a failed attempt against both the account and the address.
    pub async fn record_failure(&self, account: &str, ip: IpAddr) -> Result<(), ThrottleError> {
        counter::increment(&self.client, &self.counters(account, ip)).await?;
        Ok(())
    }

    /// A successful sign-in clears the account's counter. The address counter stays: one valid
    /// account must not let an attacker reset the limit for guessing others from the same place.
    pub async fn record_success(&self, account: &str) -> Result<(), ThrottleError> {
        let _: i64 = self.client.del(self.account_key(account)).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_five_per_account_and_thirty_per_address_per_quarter_hour() {
        let config = ThrottleConfig::default();
        assert_eq!((config.account_limit, config.ip_limit), (5, 30));
        assert_eq!(config.account_window, Duration::from_secs(900));
        assert_eq!(config.ip_window, Duration::from_secs(900));
    }
}
