//! Berth's security library: everything the server needs to decide who a request comes from and
//! what it may do, kept free of HTTP and database code so each rule is tested in one place.
//!
//! - [`password`]: argon2id hashing, the password policy, timing-safe checks for unknown users.
//! - [`session`]: server-side sessions in Redis and the session cookie.
//! - [`throttle`]: throttling of failed sign-ins (per account and source IP) and of failed
//!   API-token attempts (per source IP).
//! - [`api_token`]: personal API tokens (`berth_pat_…`), stored only as hashes.
//! - [`policy`]: which role may perform which action.

pub mod api_token;
pub mod password;
pub mod policy;
mod random;
pub mod session;
pub mod throttle;

pub use random::RandomError;
