//! `berth-ct-exec`: runs commands inside the sandboxes of berth-pve-sim's containers, the way a
//! Proxmox node runs them in its LXC containers.
//!
//! - `berth-ct-exec [--sandbox-dir DIR] pct exec|push …`: `pct` on the node `BERTH_SIM_NODE`
//!   (also when started through a link named `pct`).
//! - `berth-ct-exec [--sandbox-dir DIR] ssh-keys [ADDRESS]`: sshd's `AuthorizedKeysCommand` for
//!   container addresses.
//! - `berth-ct-exec [--sandbox-dir DIR] ssh-session`: sshd's `ForceCommand` for them.
//!
//! The sandbox dir is `--sandbox-dir` or `BERTH_SIM_SANDBOX_DIR`.

mod create_file;
mod jail;
mod pct;
mod peer;
mod ssh;

use std::ffi::OsString;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Why the program stops without running the command: the message for stderr, the exit code.
#[derive(Debug)]
pub struct Fail {
    pub code: u8,
    pub message: String,
}

impl Fail {
    /// A failure the way `pct` reports it: the message, exit code 255.
    pub fn pct(message: impl Into<String>) -> Self {
        Self {
            code: 255,
            message: message.into(),
        }
    }
}

fn main() -> ExitCode {
    let argv0 = std::env::args_os().next().unwrap_or_default();
    let mut args: Vec<OsString> = std::env::args_os().skip(1).collect();
    // Started through a link named `pct`: behave like `berth-ct-exec pct`.
    if PathBuf::from(&argv0)
        .file_name()
        .is_some_and(|n| n == "pct")
    {
        args.insert(0, "pct".into());
    }
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(fail) => {
            if !fail.message.is_empty() {
                let _ = writeln!(std::io::stderr(), "{}", fail.message.trim_end());
            }
            ExitCode::from(fail.code)
        }
    }
}

fn run(mut args: Vec<OsString>) -> Result<(), Fail> {
    let mut sandbox_dir = std::env::var_os("BERTH_SIM_SANDBOX_DIR").map(PathBuf::from);
    if args.first().is_some_and(|a| a == "--sandbox-dir") {
        let dir = args
            .get(1)
            .cloned()
            .ok_or_else(|| usage("--sandbox-dir needs a value"))?;
        sandbox_dir = Some(dir.into());
        args.drain(..2);
    }
    let command = args
        .first()
        .and_then(|a| a.to_str())
        .unwrap_or("")
        .to_string();
    let rest = args.get(1..).unwrap_or_default();
    // Runs inside a sandbox (started by `pct push`); it needs no sandbox dir.
    if command == create_file::COMMAND {
        return create_file::run(rest);
    }
    let dir = sandbox_dir.ok_or_else(|| {
        usage("the sandbox dir is not set (BERTH_SIM_SANDBOX_DIR or --sandbox-dir)")
    })?;
    match command.as_str() {
        "pct" => pct::run(&dir, rest),
        "ssh-keys" => ssh::keys(&dir, rest),
        "ssh-session" => ssh::session(&dir),
        _ => Err(usage(&format!("unknown command '{command}'"))),
    }
}

fn usage(problem: &str) -> Fail {
    Fail {
        code: 2,
        message: format!(
            "berth-ct-exec: {problem}\n\
             usage: berth-ct-exec [--sandbox-dir DIR] pct exec|push … | ssh-keys [ADDRESS] | ssh-session"
        ),
    }
}
