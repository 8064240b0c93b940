//! The rules a new password must meet, each with a message that says exactly what to change.

use super::Password;

/// Fewest characters (Unicode scalar values) in a new password.
pub const MIN_CHARS: usize = 12;
/// Most bytes in a password: generous for passphrases, small enough to bound request sizes.
pub const MAX_BYTES: usize = 1024;

/// Why a new password was refused; `Display` is meant for the person choosing it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("The password must be at least {MIN_CHARS} characters long.")]
    TooShort,
    #[error("The password must be at most {MAX_BYTES} bytes long.")]
    TooLong,
    #[error("The password must not consist only of spaces.")]
    OnlyWhitespace,
    #[error("The password must not be the same as the username.")]
    SameAsUsername,
}

/// Checks a password someone is about to set (account creation, password change).
/// Existing passwords are never re-checked at login: that would lock people out when rules change.
pub fn check_new_password(password: &Password, username: &str) -> Result<(), PolicyError> {
    let text = password.expose();
    if text.len() > MAX_BYTES {
        return Err(PolicyError::TooLong);
    }
    if !text.is_empty() && text.chars().all(char::is_whitespace) {
        return Err(PolicyError::OnlyWhitespace);
    }
    if text.chars().count() < MIN_CHARS {
        return Err(PolicyError::TooShort);
    }
    // Case and surrounding spaces do not make a username a better password.
    if text.trim().to_lowercase() == username.trim().to_lowercase() {
        return Err(PolicyError::SameAsUsername);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(password: &str, username: &str) -> Result<(), PolicyError> {
        check_new_password(&Password::new(password), username)
    }

    #[test]
    fn accepts_a_long_enough_password() {
        assert_eq!(check("twelve chars", "alice"), Ok(()));
        // Length counts characters, not bytes: twelve non-ASCII letters are enough.
        assert_eq!(check("ääääääääääää", "alice"), Ok(()));
        assert_eq!(check(&"x".repeat(MAX_BYTES), "alice"), Ok(()));
    }

    #[test]
    fn refuses_short_long_blank_and_username_passwords() {
        assert_eq!(check("", "alice"), Err(PolicyError::TooShort));
        assert_eq!(check("eleven char", "alice"), Err(PolicyError::TooShort));
        assert_eq!(
            check(&"x".repeat(MAX_BYTES + 1), "alice"),
            Err(PolicyError::TooLong)
        );
        assert_eq!(
            check(&" ".repeat(20), "alice"),
            Err(PolicyError::OnlyWhitespace)
        );
        assert_eq!(
            check("\t \n".repeat(5).as_str(), "alice"),
            Err(PolicyError::OnlyWhitespace)
        );
        assert_eq!(
            check("Administrator", "administrator"),
            Err(PolicyError::SameAsUsername)
        );
        assert_eq!(
            check(" longusername1 ", "LongUserName1"),
            Err(PolicyError::SameAsUsername)
        );
    }

    #[test]
    fn messages_say_what_to_change() {
        assert_eq!(
            PolicyError::TooShort.to_string(),
            "The password must be at least 12 characters long."
        );
        assert_eq!(
            PolicyError::TooLong.to_string(),
            "The password must be at most 1024 bytes long."
        );
        assert_eq!(
            PolicyError::SameAsUsername.to_string(),
            "The password must not be the same as the username."
        );
    }
}
