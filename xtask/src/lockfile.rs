//! Reads a package's version out of Cargo.lock (the wasm-bindgen CLI must match the crate).

/// The version of the `[[package]]` called `name`; the highest one if several are locked.
pub fn version_of(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut versions: Vec<String> = lock
        .split("[[package]]")
        .filter(|entry| entry.lines().any(|line| line.trim() == wanted))
        .filter_map(|entry| {
            entry.lines().find_map(|line| {
                let value = line.trim().strip_prefix("version = \"")?;
                Some(value.strip_suffix('"')?.to_owned())
            })
        })
        .collect();
    versions.sort_by_key(|v| {
        v.split('.')
            .map(|n| n.parse::<u64>().unwrap_or(0))
            .collect::<Vec<_>>()
    });
    versions.pop()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.999"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "cfg-if",
]
"#;

    #[test]
    fn finds_the_exact_package() {
        assert_eq!(version_of(LOCK, "wasm-bindgen").as_deref(), Some("0.2.130"));
        assert_eq!(
            version_of(LOCK, "wasm-bindgen-macro").as_deref(),
            Some("0.2.999")
        );
        assert_eq!(version_of(LOCK, "serde"), None);
    }

    #[test]
    fn picks_the_highest_when_duplicated() {
        let lock = "[[package]]\nname = \"a\"\nversion = \"0.9.0\"\n\n\
                    [[package]]\nname = \"a\"\nversion = \"0.10.1\"\n";
        assert_eq!(version_of(lock, "a").as_deref(), Some("0.10.1"));
    }
}
