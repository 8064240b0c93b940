//! What the sshd in front of the sandboxes needs: the tools, its configuration, and keys.

use std::fmt::Write as _;
use std::fs;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, bail};

pub const SSHD: &str = "/usr/sbin/sshd";

/// Why this machine cannot run the sshd in front of the sandboxes (root, `/usr/sbin/sshd`,
/// `bwrap` and `ssh-keygen` are needed); `None` when it can.
pub fn unavailable() -> Option<String> {
    let root = fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    if !root {
        return Some("sshd and bubblewrap sandboxes need root".into());
    }
    let missing: Vec<&str> = [
        (SSHD, &[SSHD][..], "openssh-server"),
        ("bwrap", &["/usr/bin/bwrap", "/bin/bwrap"][..], "bubblewrap"),
        (
            "ssh-keygen",
            &["/usr/bin/ssh-keygen", "/bin/ssh-keygen"][..],
            "openssh-client",
        ),
    ]
    .iter()
    .filter(|(_, paths, _)| !paths.iter().any(|p| Path::new(p).exists()))
    .map(|(_, _, package)| *package)
    .collect();
    (!missing.is_empty()).then(|| format!("missing Debian packages: {}", missing.join(" ")))
}

/// An ed25519 key pair without a passphrase.
#[derive(Debug, Clone)]
pub struct KeyPair {
    /// The private key file (mode 0600), for `ssh -i`.
    pub private: PathBuf,
    /// The public key line, `ssh-ed25519 AAAA… comment`.
    pub public: String,
}

impl KeyPair {
    /// Generates `dir/name` and `dir/name.pub` with ssh-keygen, commented `comment`.
    pub fn generate(dir: &Path, name: &str, comment: &str) -> anyhow::Result<Self> {
        let private = dir.join(name);
        let status = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
            .arg(&private)
            .stdin(Stdio::null())
            .status()
            .context("running ssh-keygen (openssh-client)")?;
        if !status.success() {
            bail!("ssh-keygen for {} failed ({status})", private.display());
        }
        Self::load(&private)
    }

    /// The pair at `private` and `private.pub`.
    pub fn load(private: &Path) -> anyhow::Result<Self> {
        let mut public_path = private.as_os_str().to_owned();
        public_path.push(".pub");
        let public = fs::read_to_string(&public_path)
            .with_context(|| format!("reading {}", Path::new(&public_path).display()))?;
        Ok(Self {
            private: private.to_path_buf(),
            public: public.trim().to_string(),
        })
    }

    /// The pair at `dir/name` if both halves are there, else a new one.
    pub fn load_or_generate(dir: &Path, name: &str, comment: &str) -> anyhow::Result<Self> {
        let private = dir.join(name);
        match Self::load(&private) {
            Ok(pair) if private.is_file() && !pair.public.is_empty() => Ok(pair),
            _ => {
                // ssh-keygen asks before overwriting: a half-made pair goes first.
                let _ = fs::remove_file(&private);
                Self::generate(dir, name, comment)
            }
        }
    }

    /// `ssh-ed25519 AAAA…` without the comment.
    pub fn key_only(&self) -> String {
        self.public
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Paths the configuration names.
pub struct Layout<'a> {
    /// Where `berth-ct-exec`, `bin/pct` and `node_keys` are.
    pub run_dir: &'a Path,
    pub host_key: &'a Path,
    pub sandbox_dir: &'a Path,
    pub node: &'a str,
}

/// The configuration: public keys only, root from loopback only, the node on 127.0.0.1 and the
/// containers on every other loopback address. It listens on 0.0.0.0 because a socket bound to
/// 127.0.0.1 does not take connections to 127.64.x.y; `AllowUsers` turns away anyone not on
/// loopback.
pub fn sshd_config(layout: &Layout<'_>, port: u16, extra_ports: &[u16]) -> String {
    let dir = layout.run_dir;
    let ct_exec = dir.join("berth-ct-exec");
    let sandbox = layout.sandbox_dir.display();
    let mut text = format!(
        "Port {port}\n\
         ListenAddress 0.0.0.0\n\
         HostKey {host_key}\n\
         PidFile none\n\
         UsePAM no\n\
         StrictModes no\n\
         PermitRootLogin prohibit-password\n\
         AuthenticationMethods publickey\n\
         PasswordAuthentication no\n\
         KbdInteractiveAuthentication no\n\
         AllowUsers root@127.0.0.0/8\n\
         MaxStartups 100:30:200\n\
         MaxSessions 64\n\
         Subsystem sftp /usr/lib/openssh/sftp-server\n\
         AuthorizedKeysFile {node_keys}\n\
         SetEnv BERTH_SIM_NODE={node} BERTH_SIM_SANDBOX_DIR={sandbox} \
         PATH={bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n",
        host_key = layout.host_key.display(),
        node_keys = dir.join("node_keys").display(),
        node = layout.node,
        bin = dir.join("bin").display(),
    );
    // sshd logs a port it cannot bind and goes on with the others.
    for extra in extra_ports.iter().filter(|p| **p != port) {
        let _ = writeln!(text, "Port {extra}");
    }
    if sshd_at_least(9, 8) {
        // Tests fail logins on purpose; later sshd would then refuse 127.0.0.1 for a while.
        text.push_str("PerSourcePenalties no\n");
    }
    // OpenSSH 9.2 gives AuthorizedKeysCommand no token for the local address: berth-ct-exec
    // reads it from the socket its parent (sshd's monitor for the connection) holds.
    let _ = write!(
        text,
        "Match LocalAddress 127.0.0.0/8,!127.0.0.1\n\
         \x20   AuthorizedKeysFile none\n\
         \x20   AuthorizedKeysCommand {ct_exec} --sandbox-dir {sandbox} ssh-keys\n\
         \x20   AuthorizedKeysCommandUser root\n\
         \x20   ForceCommand {ct_exec} --sandbox-dir {sandbox} ssh-session\n",
        ct_exec = ct_exec.display(),
    );
    text
}

/// Whether the installed sshd is at least `major.minor` (`sshd -V` prints `OpenSSH_9.2…`).
fn sshd_at_least(major: u32, minor: u32) -> bool {
    let output = Command::new(SSHD).arg("-V").output().ok();
    let text = output
        .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
        .unwrap_or_default();
    let version = text
        .split("OpenSSH_")
        .nth(1)
        .and_then(|v| {
            let mut parts = v.split(|c: char| !c.is_ascii_digit());
            Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
        })
        .unwrap_or((0, 0));
    version >= (major, minor)
}
