//! The bubblewrap command that runs a program inside a container's sandbox: the rootfs as `/`,
//! the host's `/usr` read-only over it (with the rootfs' own `/usr/local`), fresh `/proc` and
//! `/dev`, private PID, UTS and IPC namespaces, but the host's network, so that a service
//! started inside answers at the container's loopback address.

use std::ffi::OsString;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::Fail;

/// The PATH inside: the package-manager stand-ins in /usr/local/sbin come first.
pub const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

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
        let mut command = Command::new("bwrap");
        let rootfs = self.rootfs.as_os_str();
        command
            .arg("--bind")
            .arg(rootfs)
            .arg("/")
            .args(["--ro-bind", "/usr", "/usr", "--bind"])
            .arg(self.rootfs.join("usr/local"))
            .args(["/usr/local", "--proc", "/proc", "--dev", "/dev"]);
        if self.with_helper {
            match std::env::current_exe() {
                Ok(exe) => {
                    command.arg("--ro-bind").arg(exe).arg(HELPER);
                }
                Err(e) => return Fail::pct(format!("berth-ct-exec: finding itself: {e}")),
            }
        }
        command
            .args(["--unshare-pid", "--unshare-uts", "--unshare-ipc"])
            .args(["--hostname", self.hostname])
            .args(["--chdir", "/root", "--die-with-parent", "--"])
            .args(argv)
            .env_clear()
            .envs(self.env);
        if let Some(stdin) = self.stdin {
            command.stdin(stdin);
        }
        let error = command.exec();
        Fail::pct(format!("berth-ct-exec: running bwrap: {error}"))
    }
}

/// The variables every program in a container starts with.
pub fn base_env() -> Vec<(OsString, OsString)> {
    vec![
        ("PATH".into(), PATH.into()),
        ("HOME".into(), "/root".into()),
    ]
}
