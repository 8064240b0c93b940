//! Short content hashes for cache-busting file names and private folder names.

use sha2::{Digest, Sha256};

/// The first 16 hex characters of the SHA-256 of the concatenated parts.
pub fn hex16(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_the_concatenation() {
        // sha256("abc") = ba7816bf8f01cfea…
        assert_eq!(hex16(&[b"abc"]), "ba7816bf8f01cfea");
        assert_eq!(hex16(&[b"a", b"bc"]), "ba7816bf8f01cfea");
    }
}
