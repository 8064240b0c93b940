//! The first admin for `cargo xtask dev`: created once with a one-time password, plus a fresh
//! admin API token each run, both printed for the developer (never stored by xtask).

use std::io::{Read as _, Write as _};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

pub const ADMIN: &str = "admin";

/// What to tell the developer.
#[derive(Debug)]
pub struct Bootstrap {
    /// `Some` only on the run that created the admin.
    pub password: Option<String>,
    pub token: String,
}

/// `server` is the built `berth-server`; `command` gives it the dev environment.
pub fn admin(server: &Path, command: &dyn Fn(&Path) -> Command) -> Result<Bootstrap> {
    let password = random_hex(12)?;
    let mut create = command(server);
    create
        .args([
            "user",
            "create",
            "--username",
            ADMIN,
            "--role",
            "admin",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = create
        .spawn()
        .context("cannot run berth-server user create")?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(password.as_bytes())?;
    }
    let out = child.wait_with_output()?;
    let created = out.status.success();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !created && !stderr.contains("already exists") {
        bail!("cannot create the admin user: {}", stderr.trim());
    }
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let name = format!("xtask-dev-{stamp}");
    let mut token = command(server);
    token
        .args([
            "token",
            "create",
            "--username",
            ADMIN,
            "--name",
            &name,
            "--expires-in",
            "7",
        ])
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    let out = token
        .output()
        .context("cannot run berth-server token create")?;
    if !out.status.success() {
        bail!(
            "cannot create an API token: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(Bootstrap {
        password: created.then_some(password),
        token: String::from_utf8_lossy(&out.stdout).trim().to_string(),
    })
}

/// `bytes` random bytes from the OS, as hex.
fn random_hex(bytes: usize) -> Result<String> {
    let mut buffer = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buffer))
        .context("cannot read /dev/urandom")?;
    Ok(buffer.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::random_hex;

    #[test]
    fn passwords_are_long_and_differ() {
        let a = random_hex(12).unwrap();
        assert_eq!(a.len(), 24);
        assert_ne!(a, random_hex(12).unwrap());
    }
}
