//! Secret bytes straight from the operating system's CSPRNG, and their hex rendering.

use rand::TryRngCore;
use rand::rngs::OsRng;

/// The operating system could not provide random bytes. Nothing secret can be made without them,
/// so callers fail the request instead of falling back to anything weaker.
#[derive(Debug, thiserror::Error)]
#[error("the operating system's random number generator failed: {0}")]
pub struct RandomError(rand::rand_core::OsError);

/// `N` bytes from the OS CSPRNG (not a user-space generator seeded from it).
pub(crate) fn os_random<const N: usize>() -> Result<[u8; N], RandomError> {
    let mut bytes = [0u8; N];
    OsRng.try_fill_bytes(&mut bytes).map_err(RandomError)?;
    Ok(bytes)
}

/// Lowercase hex, two characters per byte.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// Whether `text` is exactly `len` lowercase hex digits (the only form Berth ever issues).
pub(crate) fn is_lower_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase_and_two_digits_per_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert!(is_lower_hex("000fa5ff", 8));
        assert!(!is_lower_hex("000FA5FF", 8));
        assert!(!is_lower_hex("000fa5f", 8));
        assert!(!is_lower_hex("000fa5fg", 8));
    }

    #[test]
    fn os_random_bytes_differ_between_calls() {
        let a = os_random::<16>().unwrap();
        let b = os_random::<16>().unwrap();
        assert_ne!(
            a, b,
            "two 128-bit draws colliding means the generator is broken"
        );
    }
}
