//! OpenSSH public keys as `authorized_keys` lines. Proxmox runs `ssh-keygen -l` on them and
//! answers a bare 500 for a bad one; checking here puts the mistake at the key that has it.

/// The key types OpenSSH still accepts by default (DSA is gone since OpenSSH 9.8), with how
/// many length-prefixed fields their key data holds (the type name included).
const KEY_TYPES: [(&str, usize); 7] = [
    ("ssh-ed25519", 2),
    ("ssh-rsa", 3),
    ("ecdsa-sha2-nistp256", 3),
    ("ecdsa-sha2-nistp384", 3),
    ("ecdsa-sha2-nistp521", 3),
    ("sk-ssh-ed25519@openssh.com", 3),
    ("sk-ecdsa-sha2-nistp256@openssh.com", 4),
];

/// The key type names accepted, for help texts.
pub fn ssh_key_types() -> impl Iterator<Item = &'static str> {
    KEY_TYPES.iter().map(|(name, _)| *name)
}

/// `<type> <base64> [comment]`, one line. The key data must decode and name the same type it is
/// written as, with exactly the fields that type has: this catches truncated pastes and a type
/// edited by hand, which is what people get wrong.
pub fn ssh_key_problem(line: &str) -> Option<String> {
    let line = line.trim();
    if line.is_empty() {
        return Some("is empty".into());
    }
    if line.contains(['\n', '\r']) {
        return Some("must be one key on one line".into());
    }
    let mut parts = line.split_ascii_whitespace();
    let kind = parts.next().unwrap_or_default();
    let Some(&(_, field_count)) = KEY_TYPES.iter().find(|(name, _)| *name == kind) else {
        return Some(format!(
            "starts with {kind:?}, not a key type such as ssh-ed25519 (key options are not supported)"
        ));
    };
    let Some(data) = parts.next() else {
        return Some("has no key data after the key type".into());
    };
    let Some(blob) = decode_base64(data) else {
        return Some("has key data that is not valid base64 (was it cut short?)".into());
    };
    match fields(&blob) {
        Some(f) if f.first() == Some(&kind.as_bytes()) && f.len() == field_count => None,
        Some(f) if f.first() != Some(&kind.as_bytes()) => {
            Some(format!("has key data of another key type than {kind}"))
        }
        _ => Some("has key data that is cut short or damaged".into()),
    }
}

/// The SSH wire format: fields of a big-endian u32 length and that many bytes, to the last byte.
fn fields(mut blob: &[u8]) -> Option<Vec<&[u8]>> {
    let mut found = Vec::new();
    while !blob.is_empty() {
        let (len, rest) = blob.split_first_chunk::<4>()?;
        let len = usize::try_from(u32::from_be_bytes(*len)).ok()?;
        if len > rest.len() {
            return None;
        }
        let (field, rest) = rest.split_at(len);
        found.push(field);
        blob = rest;
    }
    Some(found)
}

/// Standard base64 with `=` padding, as OpenSSH writes it. A hand-rolled decoder keeps the
/// domain crate free of dependencies that would grow the browser bundle.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || !bytes.len().is_multiple_of(4) {
        return None;
    }
    let padding = bytes.iter().rev().take_while(|b| **b == b'=').count();
    if padding > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &b in &bytes[..bytes.len() - padding] {
        acc = (acc << 6) | u32::from(sextet(b)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    // Leftover bits must be zero, or the text is not what an encoder would have written.
    (acc & ((1 << bits) - 1) == 0).then_some(out)
}

fn sextet(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_padded_text_only() {
        let cases: [(&str, Option<&[u8]>); 8] = [
            ("TWFu", Some(b"Man")),
            ("TWE=", Some(b"Ma")),
            ("TQ==", Some(b"M")),
            ("TQ=", None),
            ("TQ===", None),
            ("TR==", None),
            ("T!==", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(decode_base64(text).as_deref(), want, "{text}");
        }
    }
}
