//! The counters in Redis: check before a sign-in attempt, record its outcome after.

use super::key::{account_part, ip_part};
use fred::prelude::{Client, KeysInterface, Value};
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

/// Sign-in is refused for now. The message does not say whether the account or the address hit
/// the limit, nor whether the account exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    pub retry_after: Duration,
}

impl fmt::Display for Throttled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.retry_after.as_secs().max(1);
        let wait = if seconds < 60 {
            format!("{seconds} second{}", if seconds == 1 { "" } else { "s" })
        } else {
            let minutes = seconds.div_ceil(60);
            format!("{minutes} minute{}", if minutes == 1 { "" } else { "s" })
        };
        write!(f, "Too many failed sign-in attempts. Try again in {wait}.")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ThrottleError {
    #[error("{0}")]
    Throttled(Throttled),
    #[error("redis: {0}")]
    Redis(#[from] fred::error::Error),
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

    fn ip_key(&self, ip: IpAddr) -> String {
        format!("{}login-failures:ip:{}", self.config.prefix, ip_part(ip))
    }

    /// `Err(Throttled)` if either the account or the address has used up its failures; the wait
    /// is the longer of the two when both have.
    pub async fn check(&self, account: &str, ip: IpAddr) -> Result<(), ThrottleError> {
        let counters = [
            (
                self.account_key(account),
                self.config.account_limit,
                self.config.account_window,
            ),
            (self.ip_key(ip), self.config.ip_limit, self.config.ip_window),
        ];
        let pipeline = self.client.pipeline();
        for (key, _, _) in &counters {
            let _: () = pipeline.get(key).await?;
            let _: () = pipeline.pttl(key).await?;
        }
        let replies: Vec<Value> = pipeline.all().await?;
        let mut wait: Option<Duration> = None;
        for ((_, limit, window), reply) in counters.iter().zip(replies.chunks(2)) {
            let count = reply.first().and_then(Value::as_i64).unwrap_or(0);
            if count >= i64::from(*limit) {
                let ttl = reply.get(1).and_then(Value::as_i64).unwrap_or(-1);
                // No TTL (-1) should not happen; fall back to the whole window.
                let left = u64::try_from(ttl)
                    .map(Duration::from_millis)
                    .unwrap_or(*window);
                wait = Some(wait.map_or(left, |w| w.max(left)));
            }
        }
        match wait {
            Some(retry_after) => Err(ThrottleError::Throttled(Throttled { retry_after })),
            None => Ok(()),
        }
    }

    /// Counts a failed attempt against both the account and the address.
    pub async fn record_failure(&self, account: &str, ip: IpAddr) -> Result<(), ThrottleError> {
        let counters = [
            (self.account_key(account), self.config.account_window),
            (self.ip_key(ip), self.config.ip_window),
        ];
        let pipeline = self.client.pipeline();
        for (key, _) in &counters {
            let _: () = pipeline.incr(key).await?;
            let _: () = pipeline.pttl(key).await?;
        }
        let replies: Vec<Value> = pipeline.all().await?;
        // The first failure starts the window; later ones leave it alone (fixed window). Checking
        // for "no TTL" after each INCR also repairs a counter whose EXPIRE never arrived.
        for ((key, window), reply) in counters.iter().zip(replies.chunks(2)) {
            if reply.get(1).and_then(Value::as_i64) == Some(-1) {
                let ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX).max(1);
                let _: i64 = self.client.pexpire(key, ms, None).await?;
            }
        }
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

    #[test]
    fn the_message_rounds_the_wait_up_and_names_no_reason() {
        let message = |secs| {
            Throttled {
                retry_after: Duration::from_secs(secs),
            }
            .to_string()
        };
        assert_eq!(
            message(0),
            "Too many failed sign-in attempts. Try again in 1 second."
        );
        assert_eq!(
            message(42),
            "Too many failed sign-in attempts. Try again in 42 seconds."
        );
        assert_eq!(
            message(60),
            "Too many failed sign-in attempts. Try again in 1 minute."
        );
        assert_eq!(
            message(61),
            "Too many failed sign-in attempts. Try again in 2 minutes."
        );
        assert_eq!(
            message(900),
            "Too many failed sign-in attempts. Try again in 15 minutes."
        );
    }
}
