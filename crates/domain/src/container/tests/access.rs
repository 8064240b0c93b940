//! SSH keys, the root password, and the rule that one of them is given.

use super::*;

const RSA: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDZrX0B2ouQDADFqfskbdGcah2SbbJ4jk7Q2cUl4fFEaX0q6SG9Tv+r4vfX/4J8A8P7EjL5vFaJJC5nWI51WwkKW5oEO7M0dhJZ98a2nWID7u/7Ftr7ercbWtiHCUtHKqTrVl9OHlnlW9JtC5d+9wPZCUJQu6GdRaFljhizIOce/w== bob";

/// A well-formed ed25519 public key whose 32 key bytes are all `n`.
fn ed25519(n: u8) -> String {
    let mut blob = Vec::new();
    for field in [&b"ssh-ed25519"[..], &[n; 32]] {
        blob.extend((field.len() as u32).to_be_bytes());
        blob.extend(field);
    }
    format!("ssh-ed25519 {} key{n}", base64(&blob))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, b| acc << 8 | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            let c = if i <= chunk.len() {
                ALPHABET[(n >> (18 - 6 * i) & 63) as usize]
            } else {
                b'='
            };
            out.push(c as char);
        }
    }
    out
}

fn keys(s: &mut ContainerSpec, keys: &[&str]) {
    s.access.ssh_keys = keys.iter().map(|k| k.to_string()).collect();
}

#[test]
fn ssh_keys() {
    run(&[
        (|s| keys(s, &[ED25519, ECDSA, RSA]), None),
        (
            |s| {
                keys(
                    s,
                    &[
                        "  ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOu7SxNCennoz7HiEI3gd08nVrW16fWLhGpFa8MGnHd6  ",
                    ],
                )
            },
            None,
        ),
        (|s| keys(s, &[""]), Some(("access.ssh_keys[0]", "is empty"))),
        (
            |s| keys(s, &[ED25519, "ssh-dss AAAAB3NzaC1kc3M= old"]),
            Some(("access.ssh_keys[1]", "not a key type")),
        ),
        (
            |s| keys(s, &["from=\"10.0.0.1\" ssh-ed25519 AAAA"]),
            Some(("access.ssh_keys[0]", "options are not supported")),
        ),
        (
            |s| keys(s, &["ssh-ed25519"]),
            Some(("access.ssh_keys[0]", "no key data")),
        ),
        (
            |s| {
                keys(
                    s,
                    &["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOu7SxNCennoz7HiEI3gd08nVrW16fWLhGp"],
                )
            },
            Some(("access.ssh_keys[0]", "not valid base64")),
        ),
        (
            |s| {
                keys(
                    s,
                    &["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOu7SxNCennoz7HiEI3gd08nVrW16fWLhGpF"],
                )
            },
            Some(("access.ssh_keys[0]", "cut short")),
        ),
        (
            |s| {
                keys(
                    s,
                    &[
                        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOu7SxNCennoz7HiEI3gd08nVrW16fWLhGpFa8MGnHd$",
                    ],
                )
            },
            Some(("access.ssh_keys[0]", "not valid base64")),
        ),
        (
            |s| {
                keys(
                    s,
                    &[
                        "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOu7SxNCennoz7HiEI3gd08nVrW16fWLhGpFa8MGnHd6",
                    ],
                )
            },
            Some(("access.ssh_keys[0]", "another key type than ssh-rsa")),
        ),
        (
            |s| keys(s, &[&format!("{ED25519}\n{ECDSA}")]),
            Some(("access.ssh_keys[0]", "one key on one line")),
        ),
        (
            |s| {
                keys(
                    s,
                    &[
                        ED25519,
                        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOu7SxNCennoz7HiEI3gd08nVrW16fWLhGpFa8MGnHd6 other",
                    ],
                )
            },
            Some(("access.ssh_keys[1]", "same key")),
        ),
        (|s| s.access.ssh_keys = (0..32).map(ed25519).collect(), None),
        (
            |s| s.access.ssh_keys = (0..33).map(ed25519).collect(),
            Some(("access.ssh_keys", "more than 32")),
        ),
    ]);
}

fn password(s: &mut ContainerSpec, password: &str) {
    s.access.root_password = Some(Secret::new(password));
}

#[test]
fn root_password() {
    run(&[
        (|s| password(s, "12345678"), None),
        (|s| password(s, &"p".repeat(256)), None),
        (|s| password(s, "pässwörd"), None),
        (
            |s| password(s, "1234567"),
            Some(("access.root_password", "at least 8")),
        ),
        (
            |s| password(s, "pässwö"),
            Some(("access.root_password", "at least 8")),
        ),
        (
            |s| password(s, &"p".repeat(257)),
            Some(("access.root_password", "at most 256")),
        ),
        (
            |s| password(s, "line\nbreak!"),
            Some(("access.root_password", "control characters")),
        ),
    ]);
}

#[test]
fn someone_can_log_in() {
    run(&[
        (
            |s| {
                s.access.ssh_keys.clear();
                password(s, "long-enough");
            },
            None,
        ),
        (
            |s| s.access.ssh_keys.clear(),
            Some(("access.ssh_keys", "or set a root password")),
        ),
    ]);
}

#[test]
fn password_problems_never_echo_the_password() {
    let mut spec = valid();
    password(&mut spec, "short");
    let found = spec.validate(&template()).unwrap_err();
    assert!(
        found.iter().all(|p| !p.message.contains("short")),
        "{found:?}"
    );
}
