//! Running external commands, finding binaries and knowing whether we are root.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::proc;

/// Runs a command with inherited stdio and fails unless it exits 0. A SIGTERM sent to xtask
/// alone (not the terminal's Ctrl-C, which the command gets too) is passed on to it.
pub fn run(cmd: &mut Command) -> Result<()> {
    let shown = describe(cmd);
    let mut child = cmd
        .spawn()
        .with_context(|| format!("cannot start `{shown}`"))?;
    let mut forwarded = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if proc::stop_requested() && !forwarded {
            forwarded = true;
            succeeds(Command::new("kill").args(["-s", "TERM", &child.id().to_string()]));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

/// Runs a command quietly and returns whether it exited 0 (false if it cannot start).
pub fn succeeds(cmd: &mut Command) -> bool {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs a command and returns its stdout when it exits 0.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `program arg arg…` for messages.
pub fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(OsStr::to_string_lossy)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Finds an executable on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

/// Finds a cargo-installed tool: PATH first, then `$CARGO_HOME/bin` (it may not be on PATH).
pub fn which_cargo_tool(name: &str) -> Option<PathBuf> {
    which(name).or_else(|| Some(cargo_home().join("bin").join(name)).filter(|p| is_executable(p)))
}

pub fn cargo_home() -> PathBuf {
    match std::env::var_os("CARGO_HOME") {
        Some(home) if !home.is_empty() => PathBuf::from(home),
        _ => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"),
    }
}

pub fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The real uid, read from /proc so that no unsafe libc call is needed.
pub fn uid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|uid| uid.parse().ok())
}

pub fn is_root() -> bool {
    uid() == Some(0)
}

/// uid and gid of a system user, from /etc/passwd.
pub fn user_ids(name: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.len() > 3 && fields[0] == name)
            .then(|| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
            .flatten()
    })
}

/// The `cargo` to run: the rustup proxy on PATH keeps cargo and rustc from one toolchain.
pub fn cargo() -> Command {
    Command::new("cargo")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_request_ends_the_running_command() {
        // The only test that raises the process-wide flag; nothing else here reads it.
        std::thread::spawn(|| {
            std::thread::sleep(Duration::from_millis(200));
            proc::request_stop();
        });
        let started = std::time::Instant::now();
        assert!(run(Command::new("sleep").arg("30")).is_err());
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn finds_users_and_tools() {
        assert_eq!(user_ids("root"), Some((0, 0)));
        assert!(which("sh").is_some());
        assert!(uid().is_some());
    }
}
