//! Small URL helpers shared by the server and the browser: query encoding and the one rule for
//! where a `next=` parameter may send someone after signing in.

/// Percent-encodes a query value (RFC 3986 unreserved characters and `/` stay as they are).
pub fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Only a path on this site: `https://evil.example`, `//evil.example` and `/\evil.example`
/// (which browsers treat as another host) become `/`.
pub fn safe_next(next: &str) -> String {
    let on_site = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    if on_site {
        next.to_string()
    } else {
        "/".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_encoded() {
        assert_eq!(
            encode_query_value("/containers?x=1&y=2"),
            "/containers%3Fx%3D1%26y%3D2"
        );
        assert_eq!(encode_query_value("user.* é"), "user.%2A%20%C3%A9");
    }

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next("/containers?x=1"), "/containers?x=1");
        for hostile in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "",
        ] {
            assert_eq!(safe_next(hostile), "/", "{hostile}");
        }
    }
}
