//! Personal API tokens for scripts and CI: `berth_pat_<lookup>_<secret>`.
//!
//! - `berth_pat_` lets secret scanners (GitHub, gitleaks, …) recognise a leaked token;
//! - `<lookup>`: 16 hex digits (64 random bits), not secret, stored in clear with a unique index
//!   so the server finds the row without scanning; safe to show in lists ("berth_pat_1a2b…");
//! - `<secret>`: 64 hex digits (256 bits from the OS CSPRNG).
//!
//! Only the SHA-256 of the whole token is stored. A slow hash is unnecessary for 256 random bits
//! (nobody can guess them), and a fast one keeps every API request cheap; the comparison is
//! constant-time.

mod role;
mod token;

pub use role::{RoleTooHigh, effective_role, validate_requested_role};
pub use token::{
    LOOKUP_LEN, PREFIX, PlainToken, PresentedToken, SECRET_LEN, StoredToken, generate,
    parse_bearer, verify,
};
