//! SHA-256 certificate fingerprints, written `AA:BB:…` (as `GET /nodes` reports
//! `ssl_fingerprint` and `pvenode cert info` prints them) or as plain hex.

use std::fmt;
use std::str::FromStr;

/// The SHA-256 digest of a certificate's DER encoding.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// The fingerprint of a DER-encoded certificate.
    pub fn of_der(der: &[u8]) -> Self {
        let digest = ring::digest::digest(&ring::digest::SHA256, der);
        let mut out = [0u8; 32];
        out.copy_from_slice(digest.as_ref());
        Self(out)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// The text is not 32 hex bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a SHA-256 fingerprint (expected 64 hex digits, optionally ':'-separated): {0:?}")]
pub struct FingerprintError(String);

impl FromStr for Fingerprint {
    type Err = FingerprintError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || FingerprintError(s.to_owned());
        let trimmed = s.trim();
        let hex: Vec<u8> = if trimmed.contains(':') {
            // `AA:BB:…`: every group must be exactly two digits.
            let groups: Vec<&str> = trimmed.split(':').collect();
            if groups.iter().any(|g| g.len() != 2) {
                return Err(err());
            }
            groups.concat().into_bytes()
        } else {
            trimmed.as_bytes().to_vec()
        };
        if hex.len() != 64 {
            return Err(err());
        }
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
            let text = std::str::from_utf8(pair).map_err(|_| err())?;
            *byte = u8::from_str_radix(text, 16).map_err(|_| err())?;
        }
        Ok(Self(out))
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLONS: &str = "3F:0B:2A:91:5C:7E:D4:88:10:AB:CD:EF:01:23:45:67:89:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:11:22:33";

    #[test]
    fn parses_colons_and_plain_hex_in_any_case() {
        let a: Fingerprint = COLONS.parse().unwrap();
        let b: Fingerprint = COLONS.replace(':', "").to_lowercase().parse().unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), COLONS);
    }

    #[test]
    fn rejects_wrong_lengths_and_digits() {
        assert!("AA:BB".parse::<Fingerprint>().is_err());
        assert!(COLONS.replace("3F", "3G").parse::<Fingerprint>().is_err());
        assert!(format!("{COLONS}:44").parse::<Fingerprint>().is_err());
        assert!("A:AB".repeat(16).parse::<Fingerprint>().is_err());
    }

    #[test]
    fn digest_of_der() {
        // SHA-256 of the empty input, a known vector.
        assert_eq!(
            Fingerprint::of_der(b"").to_string().replace(':', ""),
            "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"
        );
    }
}
