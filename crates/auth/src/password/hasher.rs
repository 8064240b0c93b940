//! argon2id hashing to PHC strings, verification that reads the cost from the stored hash, and a
//! dummy verification that makes unknown accounts cost as much as known ones.

use super::{Cost, Password};
use crate::random::{RandomError, hex, os_random};
use argon2::password_hash::{self, PasswordHash, PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use std::fmt;
use std::sync::Arc;

/// The outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// The password matches. `needs_rehash`: the stored hash is weaker than the current cost (or
    /// not argon2id); store a fresh [`Hasher::hash`] of the same password now that it is known.
    Valid {
        needs_rehash: bool,
    },
    Invalid,
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("argon2 cost {0:?} is below the minimum m=19456 KiB, t=2, p=1")]
    CostTooLow(Cost),
    #[error("the stored password hash is not a valid PHC string: {0}")]
    MalformedHash(password_hash::Error),
    #[error("password hashing failed: {0}")]
    Hashing(password_hash::Error),
    #[error(transparent)]
    Random(#[from] RandomError),
    #[error("the password hashing task did not finish: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Hashes and verifies passwords at one cost. Cheap to clone (share one per process).
#[derive(Clone)]
pub struct Hasher {
    cost: Cost,
    params: Params,
    /// A hash of a random password at this cost: what unknown accounts are "verified" against.
    dummy_hash: Arc<str>,
}

impl fmt::Debug for Hasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hasher")
            .field("cost", &self.cost)
            .finish_non_exhaustive()
    }
}

impl Hasher {
    /// Refuses a cost below OWASP's minimum. Computes one hash (the dummy) up front, so the first
    /// login for an unknown account costs no more than any later one.
    pub fn new(cost: Cost) -> Result<Self, PasswordError> {
        if !cost.at_least(Cost::OWASP_MINIMUM) {
            return Err(PasswordError::CostTooLow(cost));
        }
        let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
            .map_err(|e| PasswordError::Hashing(e.into()))?;
        let mut hasher = Self {
            cost,
            params,
            dummy_hash: Arc::from(""),
        };
        let unguessable = Password::new(hex(&os_random::<16>()?));
        hasher.dummy_hash = Arc::from(hasher.hash(&unguessable)?);
        Ok(hasher)
    }

    pub fn cost(&self) -> Cost {
        self.cost
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// A PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`) with a fresh 128-bit salt.
    pub fn hash(&self, password: &Password) -> Result<String, PasswordError> {
        let salt = password_hash::SaltString::encode_b64(&os_random::<16>()?)
            .map_err(PasswordError::Hashing)?;
        let hash = self
            .argon2()
            .hash_password(password.expose().as_bytes(), &salt)
            .map_err(PasswordError::Hashing)?;
        Ok(hash.to_string())
    }

    /// Checks `password` against a stored PHC string, using the algorithm and cost recorded in it
    /// (so hashes made before a cost increase keep working). The comparison is constant-time.
    pub fn verify(&self, password: &Password, stored: &str) -> Result<Verification, PasswordError> {
        let parsed = PasswordHash::new(stored).map_err(PasswordError::MalformedHash)?;
        match self
            .argon2()
            .verify_password(password.expose().as_bytes(), &parsed)
        {
            Ok(()) => Ok(Verification::Valid {
                needs_rehash: self.is_weaker(&parsed),
            }),
            Err(password_hash::Error::Password) => Ok(Verification::Invalid),
            Err(error) => Err(PasswordError::MalformedHash(error)),
        }
    }

    /// Spends the same time as [`Hasher::verify`] of a current hash, and never matches. Call it
    /// when the account does not exist (or has no password) so the response time does not tell.
    pub fn dummy_verify(&self, password: &Password) {
        // The outcome is irrelevant; only the work matters.
        let _ = self.verify(password, &self.dummy_hash);
    }

    fn is_weaker(&self, parsed: &PasswordHash<'_>) -> bool {
        Cost::of_argon2id_hash(parsed).is_none_or(|stored| !stored.at_least(self.cost))
    }

    /// [`Hasher::hash`] on the blocking pool.
    pub async fn hash_blocking(&self, password: Password) -> Result<String, PasswordError> {
        let hasher = self.clone();
        tokio::task::spawn_blocking(move || hasher.hash(&password)).await?
    }

    /// [`Hasher::verify`] on the blocking pool.
    pub async fn verify_blocking(
        &self,
        password: Password,
        stored: String,
    ) -> Result<Verification, PasswordError> {
        let hasher = self.clone();
        tokio::task::spawn_blocking(move || hasher.verify(&password, &stored)).await?
    }

    /// [`Hasher::dummy_verify`] on the blocking pool.
    pub async fn dummy_verify_blocking(&self, password: Password) -> Result<(), PasswordError> {
        let hasher = self.clone();
        tokio::task::spawn_blocking(move || hasher.dummy_verify(&password)).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;
    use std::time::Instant;

    // One hasher for all tests: each one costs a real argon2id hash to build.
    static HASHER: LazyLock<Hasher> = LazyLock::new(|| Hasher::new(Cost::default()).unwrap());

    /// A hash made with a cheaper cost than Berth's, as an older release might have stored.
    fn weak_hash(password: &str) -> String {
        let params = Params::new(8_192, 1, 1, None).unwrap();
        let salt = password_hash::SaltString::encode_b64(b"0123456789abcdef").unwrap();
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(password.as_bytes(), &salt)
            .unwrap()
            .to_string()
    }

    #[test]
    fn hashes_are_argon2id_phc_strings_with_the_owasp_cost_and_a_fresh_salt() {
        let password = Password::new("correct horse battery staple");
        let first = HASHER.hash(&password).unwrap();
        let second = HASHER.hash(&password).unwrap();
        assert!(
            first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{first}"
        );
        assert_ne!(first, second, "each hash gets its own salt");
        assert!(!first.contains("horse"));
    }

    #[test]
    fn verifies_the_right_password_and_rejects_a_wrong_one() {
        let stored = HASHER
            .hash(&Password::new("correct horse battery staple"))
            .unwrap();
        assert_eq!(
            HASHER
                .verify(&Password::new("correct horse battery staple"), &stored)
                .unwrap(),
            Verification::Valid {
                needs_rehash: false
            }
        );
        assert_eq!(
            HASHER
                .verify(&Password::new("correct horse battery stapl"), &stored)
                .unwrap(),
            Verification::Invalid
        );
    }

    #[test]
    fn older_weaker_hashes_verify_with_their_own_cost_and_ask_for_a_rehash() {
        let stored = weak_hash("an old password");
        assert_eq!(
            HASHER
                .verify(&Password::new("an old password"), &stored)
                .unwrap(),
            Verification::Valid { needs_rehash: true }
        );
        assert_eq!(
            HASHER
                .verify(&Password::new("another password"), &stored)
                .unwrap(),
            Verification::Invalid
        );
    }

    #[test]
    fn a_malformed_stored_hash_is_an_error_not_a_match() {
        let result = HASHER.verify(&Password::new("whatever it is"), "not-a-phc-string");
        assert!(
            matches!(result, Err(PasswordError::MalformedHash(_))),
            "{result:?}"
        );
    }

    #[test]
    fn a_cost_below_owasp_is_refused() {
        let weak = Cost {
            memory_kib: 4_096,
            ..Cost::default()
        };
        assert!(matches!(
            Hasher::new(weak),
            Err(PasswordError::CostTooLow(_))
        ));
        let one_pass = Cost {
            iterations: 1,
            ..Cost::default()
        };
        assert!(matches!(
            Hasher::new(one_pass),
            Err(PasswordError::CostTooLow(_))
        ));
    }

    #[test]
    fn the_dummy_hash_has_the_current_cost_so_unknown_users_cost_as_much() {
        assert!(
            HASHER
                .dummy_hash
                .starts_with("$argon2id$v=19$m=19456,t=2,p=1$")
        );
        // Timing: the dummy must do a full verification, not return early. Compare it with a real
        // one, taking the faster of two runs each so a preempted run on a busy machine does not count.
        let stored = HASHER
            .hash(&Password::new("correct horse battery staple"))
            .unwrap();
        let password = Password::new("a guess at the password");
        let fastest = |run: &dyn Fn()| {
            (0..2)
                .map(|_| {
                    let started = Instant::now();
                    run();
                    started.elapsed()
                })
                .min()
                .unwrap()
        };
        let real = fastest(&|| {
            HASHER.verify(&password, &stored).unwrap();
        });
        let dummy = fastest(&|| HASHER.dummy_verify(&password));
        assert!(dummy * 2 > real, "dummy {dummy:?} vs real {real:?}");
    }

    #[test]
    fn debug_shows_the_cost_but_no_hash() {
        let shown = format!("{:?}", *HASHER);
        assert!(shown.contains("19456"), "{shown}");
        assert!(!shown.contains("$argon2id"), "{shown}");
    }

    #[tokio::test]
    async fn blocking_variants_agree_with_the_plain_ones() {
        let stored = HASHER
            .hash_blocking(Password::new("a long passphrase"))
            .await
            .unwrap();
        let outcome = HASHER
            .verify_blocking(Password::new("a long passphrase"), stored)
            .await
            .unwrap();
        assert_eq!(
            outcome,
            Verification::Valid {
                needs_rehash: false
            }
        );
        HASHER
            .dummy_verify_blocking(Password::new("x"))
            .await
            .unwrap();
    }
}
