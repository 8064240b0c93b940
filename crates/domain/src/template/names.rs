//! Small name rules shared by templates, buckets, inputs and files.

/// A slug: 1–63 of `a-z 0-9 -`, starting and ending with a letter or digit.
pub fn slug_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        return Some("is required".into());
    }
    if value.len() > 63 {
        return Some("is longer than 63 characters".into());
    }
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    if let Some(bad) = value.chars().find(|c| !ok_char(*c)) {
        return Some(format!(
            "may only contain lowercase letters, digits and '-' (found {bad:?})"
        ));
    }
    if value.starts_with('-') || value.ends_with('-') {
        return Some("must start and end with a letter or digit".into());
    }
    None
}

/// A Unix user or group name as `useradd` accepts by default.
pub fn unix_name_problem(value: &str) -> Option<String> {
    let mut chars = value.chars();
    match chars.next() {
        None => return Some("is required".into()),
        Some(c) if !(c.is_ascii_lowercase() || c == '_') => {
            return Some("must start with a lowercase letter or '_'".into());
        }
        _ => {}
    }
    if value.len() > 32 {
        return Some("is longer than 32 characters".into());
    }
    if chars.any(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')) {
        return Some("may only contain lowercase letters, digits, '_' and '-'".into());
    }
    None
}

/// Required, trimmed, at most `max` characters.
pub fn text_problem(value: &str, max: usize) -> Option<String> {
    if value.trim().is_empty() {
        Some("is required".into())
    } else if value.chars().count() > max {
        Some(format!("is longer than {max} characters"))
    } else {
        None
    }
}

/// Characters a shell gives meaning to. None may appear in a package token: the worker quotes
/// every argument anyway, and this keeps a token from ever being read as more than one. `<` and
/// `>` stay allowed because version constraints (`curl>=8`) need them.
pub fn has_shell_metacharacter(value: &str) -> Option<char> {
    value
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'`$;&|(){}\\*?!#".contains(*c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for good in ["debian", "web3-dev", "a", "x1"] {
            assert_eq!(slug_problem(good), None, "{good}");
        }
        for bad in ["", "-a", "a-", "Web", "a_b", "a b", &"a".repeat(64)] {
            assert!(slug_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn unix_names() {
        for good in ["root", "www-data", "_apt", "node1"] {
            assert_eq!(unix_name_problem(good), None, "{good}");
        }
        for bad in ["", "Root", "1user", "a:b", "a b"] {
            assert!(unix_name_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn metacharacters() {
        assert_eq!(has_shell_metacharacter("curl=7.88.1-10"), None);
        assert_eq!(has_shell_metacharacter("a;rm"), Some(';'));
        assert_eq!(has_shell_metacharacter("a b"), Some(' '));
    }
}
