//! A real OpenSSH server for tests of Berth's SSH executors, in front of berth-pve-sim's
//! sandboxes: berth-pve-sim's [`Sshd`] (also behind the simulator binary's `--ssh`) in a
//! temporary directory, with panics instead of errors. Connections to 127.0.0.1 reach "the
//! node": the generated client key logs in as root, and `pct` (a link to `berth-ct-exec`) runs
//! commands in the node's containers. Connections to any other 127.x address reach "the
//! container" that reports that address: the keys in its `/root/.ssh/authorized_keys` log in
//! (only while it runs), and the session runs inside its sandbox.
//!
//! Preconditions (a panic says what to do): root, `/usr/sbin/sshd` and `bwrap`.

use std::path::{Path, PathBuf};
use std::process::Command;

use berth_pve_sim::sshd::{self as sim_sshd, Sshd, SshdOptions};
use tempfile::TempDir;

const MISSING_TOOLS: &str =
    "run the tests with `cargo xtask test`, which installs openssh-server and bubblewrap";

/// What the server serves.
#[derive(Debug, Clone)]
pub struct SshOptions {
    /// The simulator's `sandbox_dir`.
    pub sandbox_dir: PathBuf,
    /// The node 127.0.0.1 stands for (`BERTH_SIM_NODE` of `pct`), e.g. `pve1`.
    pub node: String,
    /// The `berth-ct-exec` binary: `env!("CARGO_BIN_EXE_berth-ct-exec")` in berth-pve-sim's
    /// tests, [`ct_exec_binary`] in other crates' tests.
    pub ct_exec: PathBuf,
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
    /// Generates `dir/name` and `dir/name.pub` with ssh-keygen.
    pub fn generate(dir: &Path, name: &str) -> Self {
        let pair = sim_sshd::KeyPair::generate(dir, name, &format!("berth-testkit-{name}"))
            .unwrap_or_else(|e| panic!("{e:#}; {MISSING_TOOLS}"));
        Self {
            private: pair.private,
            public: pair.public,
        }
    }
}

/// A running `sshd`; dropping it kills the server.
#[derive(Debug)]
pub struct SshServer {
    /// The port, on every address of 127.0.0.0/8.
    pub port: u16,
    /// The private key that logs in to the node (127.0.0.1).
    pub client_key: PathBuf,
    pub client_public_key: String,
    /// The server's host key, `ssh-ed25519 AAAA…`.
    pub host_public_key: String,
    /// A known_hosts file that trusts the host key on every 127.x address at this port.
    pub known_hosts: PathBuf,
    // Declared before the directory: sshd stops before its files go.
    sshd: Sshd,
    _dir: TempDir,
}

impl SshServer {
    /// Starts sshd on a free port and waits until it accepts connections.
    pub fn start(options: SshOptions) -> Self {
        if let Some(why) = sim_sshd::unavailable() {
            panic!("SshServer cannot run: {why}; {MISSING_TOOLS} (as root)");
        }
        // AuthorizedKeysCommand must sit in a root-owned path nobody else can write to, which
        // /tmp (mode 1777) is not: the working dir is in /run.
        let dir = tempfile::Builder::new()
            .prefix("berth-sshd-")
            .tempdir_in("/run")
            .expect("a temporary directory in /run");
        let sshd = Sshd::start(&SshdOptions {
            sandbox_dir: options.sandbox_dir,
            node: options.node,
            ct_exec: options.ct_exec,
            key_dir: dir.path().to_path_buf(),
            run_dir: dir.path().to_path_buf(),
            port: None,
            extra_ports: Vec::new(),
        })
        .unwrap_or_else(|e| panic!("{e:#}"));
        Self {
            port: sshd.port,
            client_key: sshd.node_key.private.clone(),
            client_public_key: sshd.node_key.public.clone(),
            host_public_key: sshd.host_public_key.clone(),
            known_hosts: sshd.known_hosts.clone(),
            sshd,
            _dir: dir,
        }
    }

    /// The known_hosts line for the server at `host` (an address of 127.0.0.0/8).
    pub fn known_hosts_line(&self, host: &str) -> String {
        self.sshd.known_hosts_line(host)
    }

    /// `ssh` to `root@host` with `key`, trusting only this server's host key, never prompting;
    /// append the remote command with `.arg(…)`.
    pub fn ssh(&self, host: &str, key: &Path) -> Command {
        let mut command = Command::new("ssh");
        command
            .args(["-F", "/dev/null", "-p", &self.port.to_string(), "-i"])
            .arg(key)
            .args(["-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes"])
            .args(["-o", "StrictHostKeyChecking=yes", "-o", "LogLevel=ERROR"])
            .arg("-o")
            .arg(format!("UserKnownHostsFile={}", self.known_hosts.display()))
            .arg(format!("root@{host}"));
        command
    }

    /// What sshd logged so far (`-e`: to its stderr, kept in a file).
    pub fn log(&self) -> String {
        self.sshd.log()
    }
}

/// `berth-ct-exec` as `cargo test --workspace` (or `cargo xtask test`) builds it: in the target
/// dir of the running test binary.
pub fn ct_exec_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    // target/<profile>/deps/<test> → target/<profile>/berth-ct-exec
    let path = exe
        .parent()
        .and_then(Path::parent)
        .map(|profile| profile.join("berth-ct-exec"))
        .expect("the target dir");
    assert!(
        path.exists(),
        "{} is missing: build it with `cargo build -p berth-pve-sim --bin berth-ct-exec` \
         (`cargo xtask test` builds the whole workspace)",
        path.display()
    );
    path
}
