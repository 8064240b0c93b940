//! Local-account passwords: argon2id hashing, the policy for new passwords, and a redacting wrapper.
//!
//! Hashing is deliberately slow (tens of milliseconds of CPU): call the `*_blocking` methods of
//! [`Hasher`] from async code so a login never stalls the runtime's worker threads.

mod cost;
mod hasher;
mod policy;
mod secret;

pub use cost::Cost;
pub use hasher::{Hasher, PasswordError, Verification};
pub use policy::{MAX_BYTES, MIN_CHARS, PolicyError, check_new_password};
pub use secret::Password;
