//! Building a container's root filesystem: a minimal tree that `berth-ct-exec` mounts as `/`
//! with the host's `/usr` over it, so the host's programs run against the container's `/etc`.

use std::fs;
use std::io;
use std::os::unix::fs::{PermissionsExt as _, symlink};
use std::path::Path;

use super::{etc, host_copy};

/// The stand-in for package managers (see the script's header).
const PKG_STANDIN: &str = include_str!("pkg-standin.bash");
const STANDIN_NAMES: &[&str] = &["apt-get", "apt", "apk", "dnf", "yum", "npm", "pip", "pip3"];
/// The stand-in for systemd: the container's init and `systemctl` (see the script's header).
const SYSTEMD_STANDIN: &str = include_str!("systemd-standin.bash");

/// Host files and directories of `/etc` the container gets a copy of: name lookups, PAM (so that
/// `chpasswd -e` and `useradd` work inside), the loader cache, Debian's alternatives (the
/// targets of links in `/usr/bin`), DNS and CA certificates.
const FROM_HOST: &[&str] = &[
    "nsswitch.conf",
    "login.defs",
    "pam.conf",
    "pam.d",
    "security",
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "alternatives",
    "resolv.conf",
    "ssl",
    "shells",
];

/// What a new container's tree is made from.
#[derive(Debug, Clone)]
pub struct RootfsSpec<'a> {
    pub hostname: &'a str,
    pub ostemplate: &'a str,
    /// The create call's `ssh-public-keys` for root's `authorized_keys`.
    pub ssh_keys: Option<&'a str>,
    /// Days since the epoch, for `/etc/shadow`.
    pub today: i64,
    /// Where the container's mount points (`mpN`) are: empty directories in the tree.
    pub mount_paths: Vec<&'a str>,
}

/// Builds the tree in `<ct_dir>/rootfs.partial` and renames it to `rootfs` when complete, so a
/// crash or a concurrent reader never sees half a tree.
pub fn build(ct_dir: &Path, spec: &RootfsSpec<'_>) -> io::Result<()> {
    fs::create_dir_all(ct_dir)?;
    let partial = ct_dir.join("rootfs.partial");
    if partial.exists() {
        fs::remove_dir_all(&partial)?;
    }
    let result = fill(&partial, spec).and_then(|()| fs::rename(&partial, ct_dir.join("rootfs")));
    if result.is_err() {
        let _ = fs::remove_dir_all(&partial);
    }
    result
}

fn fill(root: &Path, spec: &RootfsSpec<'_>) -> io::Result<()> {
    for (dir, mode) in [
        ("", 0o755),
        ("etc", 0o755),
        ("root", 0o700),
        ("root/.ssh", 0o700),
        ("tmp", 0o1777),
        ("var", 0o755),
        ("var/lib", 0o755),
        ("var/lib/berth-sim", 0o755),
        ("var/log", 0o755),
        ("var/lib/dpkg", 0o755),
        ("etc/systemd", 0o755),
        ("etc/systemd/system", 0o755),
        ("var/tmp", 0o1777),
        ("run", 0o755),
        ("opt", 0o755),
        ("srv", 0o755),
        ("home", 0o755),
        ("mnt", 0o755),
        // Mount points: bubblewrap mounts over these.
        ("proc", 0o555),
        ("dev", 0o755),
        ("usr", 0o755),
        ("usr/local", 0o755),
        ("usr/local/bin", 0o755),
        ("usr/local/sbin", 0o755),
        ("usr/local/lib", 0o755),
    ] {
        let path = root.join(dir);
        fs::create_dir_all(&path)?;
        fs::set_permissions(&path, fs::Permissions::from_mode(mode))?;
    }
    // Merged /usr, as on current Debian: the host's /usr provides them.
    for name in ["bin", "sbin", "lib", "lib64"] {
        symlink(format!("usr/{name}"), root.join(name))?;
    }
    for path in &spec.mount_paths {
        // Checked absolute and without `..` at create; the leading `/` joins it below `root`.
        let dir = root.join(path.trim_start_matches('/'));
        fs::create_dir_all(&dir)?;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755))?;
    }
    write_etc(root, spec)?;
    let keys = spec.ssh_keys.unwrap_or("").trim();
    let keys = if keys.is_empty() {
        String::new()
    } else {
        format!("{keys}\n")
    };
    write(root, "root/.ssh/authorized_keys", &keys, 0o600)?;
    write(root, "usr/local/sbin/berth-sim-pkg", PKG_STANDIN, 0o755)?;
    for name in STANDIN_NAMES {
        symlink("berth-sim-pkg", root.join("usr/local/sbin").join(name))?;
    }
    write(root, "var/lib/dpkg/status", "", 0o644)?;
    write(
        root,
        "usr/local/sbin/berth-sim-systemd",
        SYSTEMD_STANDIN,
        0o755,
    )?;
    for name in ["systemctl", "berth-sim-init"] {
        symlink("berth-sim-systemd", root.join("usr/local/sbin").join(name))?;
    }
    Ok(())
}

fn write_etc(root: &Path, spec: &RootfsSpec<'_>) -> io::Result<()> {
    write(root, "etc/passwd", etc::PASSWD, 0o644)?;
    write(root, "etc/group", etc::GROUP, 0o644)?;
    write(root, "etc/shadow", &etc::shadow(spec.today), 0o640)?;
    write(root, "etc/gshadow", etc::GSHADOW, 0o640)?;
    write(root, "etc/hostname", &format!("{}\n", spec.hostname), 0o644)?;
    write(root, "etc/hosts", &etc::hosts(spec.hostname), 0o644)?;
    write(
        root,
        "etc/os-release",
        &etc::os_release(spec.ostemplate),
        0o644,
    )?;
    write(root, "etc/profile", etc::PROFILE, 0o644)?;
    for name in FROM_HOST {
        host_copy::copy_tree(&Path::new("/etc").join(name), &root.join("etc").join(name))?;
    }
    Ok(())
}

/// Writes a file with an exact mode (not subject to the umask).
fn write(root: &Path, path: &str, content: &str, mode: u32) -> io::Result<()> {
    let path = root.join(path);
    fs::write(&path, content)?;
    fs::set_permissions(&path, fs::Permissions::from_mode(mode))
}

/// Rewrites `/etc/hostname` after the hostname changed (PVE's setup does it at start and on a
/// live change).
pub fn set_hostname(rootfs: &Path, hostname: &str) -> io::Result<()> {
    write(rootfs, "etc/hostname", &format!("{hostname}\n"), 0o644)
}
