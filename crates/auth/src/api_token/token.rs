//! Making, parsing and checking token strings.

use crate::random::{RandomError, hex, is_lower_hex, os_random};
use sha2::{Digest, Sha256};
use std::fmt;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

pub const PREFIX: &str = "berth_pat_";
/// Hex digits of the lookup id (64 bits).
pub const LOOKUP_LEN: usize = 16;
/// Hex digits of the secret (256 bits).
pub const SECRET_LEN: usize = 64;

/// A freshly made token, to be shown to its owner once and then forgotten. `Debug` prints
/// `[redacted]`, there is no `Display`, and the memory is wiped on drop.
pub struct PlainToken(String);

impl PlainToken {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PlainToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Drop for PlainToken {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// What the database keeps: the lookup id (in clear, unique) and the SHA-256 of the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredToken {
    pub lookup: String,
    pub hash: [u8; 32],
}

/// A syntactically valid token taken from a request. `Debug` shows only the lookup id.
pub struct PresentedToken {
    lookup: String,
    full: String,
}

impl PresentedToken {
    /// Accepts exactly `berth_pat_` + 16 lowercase hex + `_` + 64 lowercase hex.
    pub fn parse(text: &str) -> Option<Self> {
        let rest = text.strip_prefix(PREFIX)?;
        let (lookup, secret) = rest.split_once('_')?;
        (is_lower_hex(lookup, LOOKUP_LEN) && is_lower_hex(secret, SECRET_LEN)).then(|| Self {
            lookup: lookup.to_string(),
            full: text.to_string(),
        })
    }

    /// The id to find the stored row by.
    pub fn lookup(&self) -> &str {
        &self.lookup
    }
}

impl fmt::Debug for PresentedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PresentedToken({PREFIX}{}_[redacted])", self.lookup)
    }
}

impl Drop for PresentedToken {
    fn drop(&mut self) {
        self.full.zeroize();
    }
}

/// A new token: the plaintext for the owner, and what to store.
pub fn generate() -> Result<(PlainToken, StoredToken), RandomError> {
    let lookup = hex(&os_random::<{ LOOKUP_LEN / 2 }>()?);
    let mut secret = os_random::<{ SECRET_LEN / 2 }>()?;
    let plain = PlainToken(format!("{PREFIX}{lookup}_{}", hex(&secret)));
    secret.zeroize();
    let hash = digest(plain.expose());
    Ok((plain, StoredToken { lookup, hash }))
}

/// The token from an `Authorization: Bearer …` header value; `None` for any other scheme or a
/// malformed token. The scheme name is case-insensitive (RFC 9110).
pub fn parse_bearer(authorization: &str) -> Option<PresentedToken> {
    let (scheme, credentials) = authorization.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    PresentedToken::parse(credentials.trim_start())
}

/// Whether the presented token is the one whose hash was stored, compared in constant time.
/// A stored hash of the wrong length never matches.
pub fn verify(presented: &PresentedToken, stored_hash: &[u8]) -> bool {
    digest(&presented.full).ct_eq(stored_hash).into()
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_have_the_documented_shape_and_verify() {
        let (plain, stored) = generate().unwrap();
        let text = plain.expose();
        assert_eq!(text.len(), PREFIX.len() + LOOKUP_LEN + 1 + SECRET_LEN);
        assert!(
            text.starts_with(&format!("{PREFIX}{}_", stored.lookup)),
            "{text}"
        );
        let presented = PresentedToken::parse(text).unwrap();
        assert_eq!(presented.lookup(), stored.lookup);
        assert!(verify(&presented, &stored.hash));
        assert_eq!(
            stored.hash,
            <[u8; 32]>::from(Sha256::digest(text.as_bytes()))
        );
    }

    #[test]
    fn tokens_are_unique_and_do_not_verify_against_each_other() {
        let (a, stored_a) = generate().unwrap();
        let (b, stored_b) = generate().unwrap();
        assert_ne!(a.expose(), b.expose());
        assert_ne!(stored_a.lookup, stored_b.lookup);
        let presented_a = PresentedToken::parse(a.expose()).unwrap();
        assert!(!verify(&presented_a, &stored_b.hash));
    }

    #[test]
    fn a_changed_secret_or_a_short_hash_does_not_verify() {
        let (plain, stored) = generate().unwrap();
        let mut forged = plain.expose().to_string();
        let last = if forged.ends_with('0') { "1" } else { "0" };
        forged.replace_range(forged.len() - 1.., last);
        assert!(!verify(
            &PresentedToken::parse(&forged).unwrap(),
            &stored.hash
        ));
        let presented = PresentedToken::parse(plain.expose()).unwrap();
        assert!(!verify(&presented, &stored.hash[..31]));
        assert!(!verify(&presented, &[]));
    }

    #[test]
    fn bearer_headers_are_parsed_strictly() {
        let (plain, stored) = generate().unwrap();
        let token = plain.expose();
        for header in [
            format!("Bearer {token}"),
            format!("bearer {token}"),
            format!("BEARER   {token} "),
        ] {
            let presented = parse_bearer(&header).unwrap_or_else(|| panic!("{header}"));
            assert_eq!(presented.lookup(), stored.lookup);
        }
        let upper = token.to_uppercase().replace("BERTH_PAT_", PREFIX);
        for header in [
            token.to_string(),
            format!("Basic {token}"),
            format!("Bearer{token}"),
            format!("Bearer {token}x"),
            format!("Bearer {token} extra"),
            format!("Bearer {upper}"),
            format!("Bearer {}", &token[..token.len() - 1]),
            format!("Bearer {}", token.replacen(PREFIX, "berth_pak_", 1)),
            "Bearer berth_pat_".to_string(),
            "Bearer ".to_string(),
            String::new(),
        ] {
            assert!(parse_bearer(&header).is_none(), "{header}");
        }
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let (plain, stored) = generate().unwrap();
        assert_eq!(format!("{plain:?}"), "[redacted]");
        let presented = PresentedToken::parse(plain.expose()).unwrap();
        let shown = format!("{presented:?}");
        assert_eq!(
            shown,
            format!("PresentedToken(berth_pat_{}_[redacted])", stored.lookup)
        );
        let secret = plain.expose().rsplit('_').next().unwrap();
        assert!(!shown.contains(secret));
    }
}
