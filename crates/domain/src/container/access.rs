//! The access section: SSH keys and the root password, and the rule that one of them exists.

use super::spec::Access;
use super::ssh::ssh_key_problem;
use crate::template::Problems;

/// Proxmox asks for 5 characters; Berth asks for more because these containers face networks.
pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 256;
pub const MAX_SSH_KEYS: usize = 32;

pub(super) fn check_access(access: &Access, problems: &mut Problems) {
    if access.ssh_keys.is_empty() && access.root_password.is_none() {
        problems.add(
            "ssh_keys",
            "add an SSH public key or set a root password, or nobody can log in",
        );
    }
    if access.ssh_keys.len() > MAX_SSH_KEYS {
        problems.add("ssh_keys", format!("has more than {MAX_SSH_KEYS} keys"));
    }
    for (i, key) in access.ssh_keys.iter().enumerate() {
        let at = format!("ssh_keys[{i}]");
        if let Some(problem) = ssh_key_problem(key) {
            problems.add(&at, problem);
        } else if access.ssh_keys[..i].iter().any(|k| same_key(k, key)) {
            problems.add(&at, "is the same key as an earlier one");
        }
    }
    if let Some(password) = &access.root_password
        && let Some(problem) = password_problem(password.expose())
    {
        problems.add("root_password", problem);
    }
}

/// Two lines carry the same key when type and data match; comments do not count.
fn same_key(a: &str, b: &str) -> bool {
    a.split_ascii_whitespace()
        .take(2)
        .eq(b.split_ascii_whitespace().take(2))
}

/// Never echoes the password: problems are shown and logged.
fn password_problem(password: &str) -> Option<String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Some(format!("must be at least {MIN_PASSWORD_CHARS} characters"));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Some(format!("must be at most {MAX_PASSWORD_CHARS} characters"));
    }
    // The password reaches chpasswd as one line; a control character would cut or corrupt it.
    if password.chars().any(char::is_control) {
        return Some("may not contain control characters such as a line break".into());
    }
    None
}
