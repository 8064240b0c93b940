//! Running a program inside a container's sandbox in place of this process (the bubblewrap
//! command itself is the library's `sandbox::jail`).

use std::ffi::OsString;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::Stdio;

pub use berth_pve_sim::sandbox::jail::base_env;

use crate::Fail;

/// Where `pct push` mounts this program inside: the sandbox's private `/dev` is a tmpfs, so the
/// mount point leaves nothing behind in the rootfs.
pub const HELPER: &str = "/dev/.berth-ct-exec";

/// What to run in which sandbox.
#[derive(Debug)]
pub struct Jail<'a> {
    pub rootfs: &'a Path,
    pub hostname: &'a str,
    /// The whole environment of the program.
    pub env: Vec<(OsString, OsString)>,
    /// Mount this program at [`HELPER`].
    pub with_helper: bool,
    pub stdin: Option<Stdio>,
}

impl Jail<'_> {
    /// Replaces this process with the sandboxed program, so that its stdio and exit code are
    /// the caller's; returns only when that fails.
    pub fn exec(self, argv: &[OsString]) -> Fail {
        let exe = if self.with_helper {
            match std::env::current_exe() {
                Ok(exe) => Some(exe),
                Err(e) => return Fail::pct(format!("berth-ct-exec: finding itself: {e}")),
            }
        } else {
            None
        };
        let binds: Vec<(&Path, &str)> = exe.iter().map(|e| (e.as_path(), HELPER)).collect();
        let mut command = berth_pve_sim::sandbox::jail::command(
            self.rootfs,
            self.hostname,
            &binds,
            self.env,
            argv,
        );
        if let Some(stdin) = self.stdin {
            command.stdin(stdin);
        }
        let error = command.exec();
        Fail::pct(format!("berth-ct-exec: running bwrap: {error}"))
    }
}
