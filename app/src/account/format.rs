//! How times are shown on the Account page.

/// `2025-01-31T12:34:56Z` → `2025-01-31 12:34 UTC`; anything else unchanged.
pub fn when(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(date), Some(time)) if rfc3339.ends_with('Z') => format!("{date} {time} UTC"),
        _ => rfc3339.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_times_are_shortened() {
        assert_eq!(super::when("2025-01-31T12:34:56Z"), "2025-01-31 12:34 UTC");
        assert_eq!(super::when("soon"), "soon");
    }
}
