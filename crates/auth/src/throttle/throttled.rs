//! What a throttle answers when it refuses, and its errors.

use std::fmt;
use std::time::Duration;

/// The attempt is refused for now. The message does not say which limit was hit (an account or
/// the address), nor whether the account exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    pub retry_after: Duration,
}

impl Throttled {
    /// Whole seconds to wait, rounded up (at least 1): a client that waits this long (for an
    /// HTTP `Retry-After`, say) finds the window over.
    pub fn retry_after_secs(&self) -> u64 {
        u64::try_from(self.retry_after.as_millis().div_ceil(1000))
            .unwrap_or(u64::MAX)
            .max(1)
    }

    /// The wait for people: "42 seconds", or in whole minutes (rounded up) from one minute on.
    pub fn wait_text(&self) -> String {
        let seconds = self.retry_after_secs();
        if seconds < 60 {
            format!("{seconds} second{}", if seconds == 1 { "" } else { "s" })
        } else {
            let minutes = seconds.div_ceil(60);
            format!("{minutes} minute{}", if minutes == 1 { "" } else { "s" })
        }
    }
}

impl fmt::Display for Throttled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Too many failed sign-in attempts. Try again in {}.",
            self.wait_text()
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ThrottleError {
    #[error("{0}")]
    Throttled(Throttled),
    #[error("redis: {0}")]
    Redis(#[from] fred::error::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttled(millis: u64) -> Throttled {
        Throttled {
            retry_after: Duration::from_millis(millis),
        }
    }

    #[test]
    fn the_message_rounds_the_wait_up_and_names_no_reason() {
        let message = |secs: u64| throttled(secs * 1000).to_string();
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

    #[test]
    fn retry_after_is_whole_seconds_rounded_up_and_never_zero() {
        assert_eq!(throttled(0).retry_after_secs(), 1);
        assert_eq!(throttled(1).retry_after_secs(), 1);
        assert_eq!(throttled(1000).retry_after_secs(), 1);
        assert_eq!(throttled(1001).retry_after_secs(), 2);
        assert_eq!(throttled(899_400).retry_after_secs(), 900);
        assert_eq!(throttled(41_200).wait_text(), "42 seconds");
    }
}
