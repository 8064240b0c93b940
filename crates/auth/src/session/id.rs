//! Session ids: 128 bits from the OS CSPRNG, written as 32 lowercase hex digits.

use crate::random::{RandomError, hex, is_lower_hex, os_random};
use std::fmt;

const HEX_LEN: usize = 32;

/// A session id. It is a bearer credential, so `Debug` shows only its first 4 digits (enough to
/// correlate log lines, far too few to guess the rest); the full value comes from [`SessionId::expose`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SessionId(String);

impl SessionId {
    pub fn generate() -> Result<Self, RandomError> {
        Ok(Self(hex(&os_random::<16>()?)))
    }

    /// Accepts only the exact form Berth issues; anything else (a tampered or foreign cookie) is
    /// `None`, so malformed input never reaches Redis as part of a key.
    pub fn parse(text: &str) -> Option<Self> {
        is_lower_hex(text, HEX_LEN).then(|| Self(text.to_string()))
    }

    /// The full id, for the cookie and the Redis key.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionId({}…)", self.0.get(..4).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_32_lowercase_hex_and_distinct() {
        let a = SessionId::generate().unwrap();
        let b = SessionId::generate().unwrap();
        assert_eq!(a.expose().len(), 32);
        assert!(
            a.expose()
                .bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_ne!(a, b);
        assert_eq!(SessionId::parse(a.expose()), Some(a));
    }

    #[test]
    fn malformed_ids_are_rejected() {
        let valid = "0123456789abcdef0123456789abcdef";
        assert!(SessionId::parse(valid).is_some());
        for bad in [
            "",
            "0123456789abcdef0123456789abcde",
            "0123456789abcdef0123456789abcdef0",
            "0123456789ABCDEF0123456789ABCDEF",
            "0123456789abcdef0123456789abcdeg",
            "0123456789abcdef:123456789abcdef",
            "0123456789abcdef 0123456789abcde",
            "*",
        ] {
            assert_eq!(SessionId::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn debug_shows_only_a_short_prefix() {
        let id = SessionId::parse("0123456789abcdef0123456789abcdef").unwrap();
        assert_eq!(format!("{id:?}"), "SessionId(0123…)");
    }
}
