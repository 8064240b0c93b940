//! The two hooks of the test sshd for connections to a container's address: which keys may log
//! in (`AuthorizedKeysCommand`), and running the session inside the sandbox (`ForceCommand`).

use std::ffi::OsString;
use std::io::Write as _;
use std::path::Path;

use berth_pve_sim::sandbox::{Meta, rootfs_dir};

use crate::jail::{self, Jail};
use crate::{Fail, peer};

/// `ssh-keys [ADDRESS]`: prints root's authorized_keys of the running container at ADDRESS (or
/// at the local address of the connection being authenticated); nothing otherwise.
pub fn keys(dir: &Path, args: &[OsString]) -> Result<(), Fail> {
    let words: Vec<String> = args
        .iter()
        .flat_map(|a| {
            a.to_string_lossy()
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    // A bare address, or sshd's `%C` ("client-addr client-port local-addr local-port").
    let address = match words.as_slice() {
        [] => peer::parent_local_address().map(|a| a.to_string()),
        [address] | [_, _, address, _] => Some(address.clone()),
        _ => None,
    };
    let Some(address) = address else {
        return Ok(());
    };
    let Some(meta) = find(dir, &address)?.filter(|m| m.running) else {
        return Ok(());
    };
    let root = rootfs_dir(dir, meta.vmid);
    // Links are not followed: inside the container they would mean a path of the container,
    // here one of the host.
    let mut path = root.clone();
    for part in ["root", ".ssh", "authorized_keys"] {
        path.push(part);
        if std::fs::symlink_metadata(&path).map_or(true, |m| m.file_type().is_symlink()) {
            return Ok(());
        }
    }
    let text = std::fs::read(&path).unwrap_or_default();
    std::io::stdout()
        .write_all(&text)
        .map_err(|e| Fail::pct(format!("berth-ct-exec: writing the keys: {e}")))
}

fn find(dir: &Path, address: &str) -> Result<Option<Meta>, Fail> {
    Meta::by_address(dir, address)
        .map_err(|e| Fail::pct(format!("berth-ct-exec: reading the sandboxes: {e}")))
}

/// `ssh-session`: the session of a connection to a container's address, run inside it:
/// `$SSH_ORIGINAL_COMMAND` with `/bin/sh -c`, or a login shell when there is none.
pub fn session(dir: &Path) -> Result<(), Fail> {
    let connection = std::env::var("SSH_CONNECTION").unwrap_or_default();
    let Some(address) = connection.split_whitespace().nth(2) else {
        return Err(Fail::pct("berth-ct-exec: SSH_CONNECTION is not set"));
    };
    let Some(meta) = find(dir, address)? else {
        return Err(Fail::pct(format!(
            "berth-ct-exec: no container has the address {address}"
        )));
    };
    if !meta.running {
        return Err(Fail::pct(format!(
            "berth-ct-exec: CT {} at {address} is not running",
            meta.vmid
        )));
    }
    let argv: Vec<OsString> = match std::env::var_os("SSH_ORIGINAL_COMMAND") {
        Some(command) if !command.is_empty() => vec!["/bin/sh".into(), "-c".into(), command],
        _ => vec!["/bin/sh".into(), "-l".into()],
    };
    // What sshd inside the container would pass on: the connection, the terminal, the locale.
    let mut env: Vec<(OsString, OsString)> = std::env::vars_os()
        .filter(|(k, _)| {
            let k = k.to_string_lossy();
            ["SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "TERM", "LANG"].contains(&k.as_ref())
                || k.starts_with("LC_")
        })
        .collect();
    env.extend(jail::base_env());
    for (key, value) in [("USER", "root"), ("LOGNAME", "root"), ("SHELL", "/bin/sh")] {
        env.push((key.into(), value.into()));
    }
    let rootfs = rootfs_dir(dir, meta.vmid);
    Err(Jail {
        rootfs: &rootfs,
        hostname: &meta.hostname,
        env,
        with_helper: false,
        stdin: None,
    }
    .exec(&argv))
}
