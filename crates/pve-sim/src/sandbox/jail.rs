//! The bubblewrap command that runs a program inside a container's sandbox: the rootfs as `/`,
//! the host's `/usr` read-only over it (with the rootfs' own `/usr/local`), fresh `/proc` and
//! `/dev`, private PID, UTS and IPC namespaces, but the host's network, so that a service
//! started inside answers at the container's loopback address. Used by `berth-ct-exec` for
//! sessions and by the simulator for each running container's init.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

/// The PATH inside: the stand-ins in /usr/local/sbin (package managers, systemctl) come first.
pub const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The variables every program in a container starts with.
pub fn base_env() -> Vec<(OsString, OsString)> {
    vec![
        ("PATH".into(), PATH.into()),
        ("HOME".into(), "/root".into()),
    ]
}

/// `bwrap … -- argv` for the sandbox at `rootfs`, with the whole environment `env` and the
/// host files `ro_binds` (host path, path inside) mounted read-only. The program dies with the
/// thread that spawns it (`--die-with-parent`).
pub fn command(
    rootfs: &Path,
    hostname: &str,
    ro_binds: &[(&Path, &str)],
    env: Vec<(OsString, OsString)>,
    argv: &[OsString],
) -> Command {
    let mut command = Command::new("bwrap");
    command
        .arg("--bind")
        .arg(rootfs)
        .arg("/")
        .args(["--ro-bind", "/usr", "/usr", "--bind"])
        .arg(rootfs.join("usr/local"))
        .args(["/usr/local", "--proc", "/proc", "--dev", "/dev"]);
    for (host, inside) in ro_binds {
        command.arg("--ro-bind").arg(host).arg(inside);
    }
    command
        .args(["--unshare-pid", "--unshare-uts", "--unshare-ipc"])
        .args(["--hostname", hostname])
        .args(["--chdir", "/root", "--die-with-parent", "--"])
        .args(argv)
        .env_clear()
        .envs(env);
    command
}
