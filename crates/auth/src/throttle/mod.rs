//! Throttling of failed attempts, counted in Redis: sign-ins per account and per source address
//! ([`LoginThrottle`]), API-token attempts per source address ([`TokenThrottle`]).
//!
//! Fixed windows: the first failure starts a counter that expires after the window; once it
//! reaches the limit, attempts for that account (or from that address) are refused until it
//! expires. The login handler calls [`LoginThrottle::check`] before verifying the password, then
//! [`LoginThrottle::record_failure`] or [`LoginThrottle::record_success`]. Failures for accounts
//! that do not exist must be recorded too, or the throttle would reveal which accounts exist.
//!
//! Known limit: check-then-record is not atomic, so a burst of parallel attempts can all pass
//! `check` before any failure is counted. For sign-in the per-attempt argon2 cost bounds how
//! many that is; for API tokens, the requests in flight at that moment.

mod counter;
mod key;
mod limiter;
mod throttled;
mod token;

pub use key::normalise_account;
pub use limiter::{LoginThrottle, ThrottleConfig};
pub use throttled::{ThrottleError, Throttled};
pub use token::{TokenThrottle, TokenThrottleConfig};
