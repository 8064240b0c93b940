//! A password in memory: never printed, and wiped when dropped.

use std::fmt;
use zeroize::Zeroize;

/// A plaintext password. `Debug` prints `[redacted]` and there is no `Display`, so it cannot end
/// up in a log line by accident; the memory is overwritten when the value is dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The plaintext. Call sites are few and easy to audit with a search for `expose`.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Password {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Drop for Password {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::Password;

    #[test]
    fn debug_hides_the_password() {
        let password = Password::new("correct horse battery staple");
        assert_eq!(format!("{password:?}"), "[redacted]");
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Form {
            password: Password,
        }
        let shown = format!(
            "{:?}",
            Form {
                password: password.clone()
            }
        );
        assert!(!shown.contains("horse"), "{shown}");
        assert_eq!(password.expose(), "correct horse battery staple");
    }
}
