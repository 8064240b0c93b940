//! The whole provisioning pipeline against the simulator: whether this machine can give
//! containers sandboxes behind a real sshd, Berth's worker key, and the worker's SSH settings.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::cmd;
use crate::pve_sim::SimSsh;

/// Why the simulator cannot run sandboxes and sshd here; `None` when it can. The same checks
/// `berth-pve-sim --ssh` makes, plus `berth-ct-exec` beside the simulator binary.
pub fn unavailable(pve_sim: &Path) -> Option<String> {
    if !cmd::is_root() {
        return Some("not root (sshd and the bubblewrap sandboxes need root)".into());
    }
    let missing: Vec<&str> = [
        (Path::new("/usr/sbin/sshd").exists(), "/usr/sbin/sshd"),
        (cmd::which("bwrap").is_some(), "bwrap"),
        (cmd::which("ssh-keygen").is_some(), "ssh-keygen"),
        (
            cmd::is_executable(&pve_sim.with_file_name("berth-ct-exec")),
            "berth-ct-exec",
        ),
    ]
    .iter()
    .filter(|(present, _)| !present)
    .map(|(_, name)| *name)
    .collect();
    (!missing.is_empty()).then(|| format!("{} missing", missing.join(", ")))
}

/// An ed25519 key without a passphrase at `path` (and `path.pub`, which the worker requires),
/// made with ssh-keygen unless both halves are there.
pub fn key_pair(path: &Path, comment: &str) -> Result<PathBuf> {
    let mut public = path.as_os_str().to_owned();
    public.push(".pub");
    if path.is_file() && Path::new(&public).is_file() {
        return Ok(path.to_path_buf());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    // ssh-keygen asks before overwriting a half-made pair.
    let _ = std::fs::remove_file(path);
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
        .arg(path)
        .stdin(Stdio::null())
        .status()
        .context("cannot run ssh-keygen")?;
    if !status.success() {
        bail!("ssh-keygen for {} failed ({status})", path.display());
    }
    Ok(path.to_path_buf())
}

/// berth-worker's settings for "direct" mode against the simulator's sshd: `ssh root@<container
/// address>` on its port with `key`, whose public half the worker injects at create.
pub fn worker_env(ssh: &SimSsh, key: &Path, state_dir: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("BERTH_WORKER_SSH_KEY", key.display().to_string()),
        ("BERTH_WORKER_SSH_MODE", "direct".into()),
        ("BERTH_WORKER_SSH_PORT", ssh.port.to_string()),
        ("BERTH_WORKER_STATE_DIR", state_dir.display().to_string()),
    ]
}
