//! Login throttling: failed sign-ins counted per account and per source address in Redis.
//!
//! Fixed windows: the first failure starts a counter that expires after the window; once it
//! reaches the limit, sign-in for that account (or from that address) is refused until it expires.
//! The login handler calls [`LoginThrottle::check`] before verifying the password, then
//! [`LoginThrottle::record_failure`] or [`LoginThrottle::record_success`]. Failures for accounts
//! that do not exist must be recorded too, or the throttle would reveal which accounts exist.
//!
//! Known limit: check-then-record is not atomic, so a burst of parallel attempts can all pass
//! `check` before any failure is counted; the per-attempt argon2 cost bounds how many that is.

mod key;
mod limiter;

pub use key::normalise_account;
pub use limiter::{LoginThrottle, ThrottleConfig, ThrottleError, Throttled};
