//! `Secret`: a string that never shows itself in `Debug` output or logs.

use std::fmt;

/// A password, token secret, ticket or CSRF token.
///
/// It has no `Display` and its `Debug` prints `Secret(***)`, so a secret that ends up in a
/// `{:?}`, a tracing field or an error message stays hidden. Read it with [`Secret::expose`]
/// only where it is put on the wire.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret text, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value() {
        let s = Secret::new("0b5ee0a8-4d40-4c4e-9c8e-0123456789ab");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(s.expose(), "0b5ee0a8-4d40-4c4e-9c8e-0123456789ab");
    }
}
