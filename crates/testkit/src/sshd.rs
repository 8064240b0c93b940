//! A real OpenSSH server for tests of Berth's SSH executors, in front of berth-pve-sim's
//! sandboxes. Connections to 127.0.0.1 reach "the node": the generated client key logs in as
//! root, and `pct` (a link to `berth-ct-exec`) runs commands in the node's containers.
//! Connections to any other 127.x address reach "the container" that reports that address: the
//! keys in its `/root/.ssh/authorized_keys` log in (only while it runs), and the session runs
//! inside its sandbox.
//!
//! Preconditions (a panic says what to do): root, `/usr/sbin/sshd` and `bwrap`.

use std::fmt::Write as _;
use std::fs;
use std::net::TcpStream;
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _, symlink};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

const SSHD: &str = "/usr/sbin/sshd";
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
        let private = dir.join(name);
        let status = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C"])
            .arg(format!("berth-testkit-{name}"))
            .arg("-f")
            .arg(&private)
            .stdin(Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("ssh-keygen: {e}; {MISSING_TOOLS}"));
        assert!(status.success(), "ssh-keygen for {}", private.display());
        let public = fs::read_to_string(private.with_extension("pub"))
            .expect("read the public key")
            .trim()
            .to_string();
        Self { private, public }
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
    dir: TempDir,
    child: Child,
}

impl SshServer {
    /// Starts sshd on a free port and waits until it accepts connections.
    pub fn start(options: SshOptions) -> Self {
        preconditions();
        // AuthorizedKeysCommand must sit in a root-owned path nobody else can write to, which
        // /tmp (mode 1777) is not: the working dir is in /run.
        let mut dir = tempfile::Builder::new()
            .prefix("berth-sshd-")
            .tempdir_in("/run")
            .expect("a temporary directory in /run");
        let host = KeyPair::generate(dir.path(), "host_key");
        let client = KeyPair::generate(dir.path(), "client_key");
        let ct_exec = dir.path().join("berth-ct-exec");
        fs::copy(&options.ct_exec, &ct_exec).unwrap_or_else(|e| {
            panic!("copying {}: {e}", options.ct_exec.display());
        });
        fs::set_permissions(&ct_exec, fs::Permissions::from_mode(0o755)).expect("chmod");
        let bin = dir.path().join("bin");
        fs::create_dir(&bin).expect("create bin/");
        symlink(&ct_exec, bin.join("pct")).expect("link pct");
        fs::write(dir.path().join("node_keys"), format!("{}\n", client.public))
            .expect("write node_keys");
        let host_public_key = host
            .public
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ");
        for _ in 0..5 {
            let port = crate::free_port();
            let config = dir.path().join("sshd_config");
            fs::write(&config, sshd_config(dir.path(), port, &options)).expect("write config");
            let log = fs::File::create(dir.path().join("sshd.log")).expect("create sshd.log");
            let child = Command::new(SSHD)
                .args(["-D", "-e", "-f"])
                .arg(&config)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .unwrap_or_else(|e| panic!("starting {SSHD}: {e}; {MISSING_TOOLS}"));
            let known_hosts = dir.path().join("known_hosts");
            fs::write(&known_hosts, format!("[127.*]:{port} {host_public_key}\n"))
                .expect("write known_hosts");
            let mut server = Self {
                port,
                client_key: client.private.clone(),
                client_public_key: client.public.clone(),
                host_public_key: host_public_key.clone(),
                known_hosts,
                dir,
                child,
            };
            if server.wait_ready() {
                return server;
            }
            // Another process took the port meanwhile: try another one.
            dir = server.into_dir();
        }
        panic!("sshd did not start on any of 5 free ports");
    }

    /// Whether the server accepts connections; `false` when it lost the port to a race.
    fn wait_ready(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("poll sshd") {
                let log = self.log();
                if log.contains("Address already in use") {
                    return false;
                }
                panic!("sshd exited ({status}):\n{log}");
            }
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return true;
            }
            assert!(
                Instant::now() < deadline,
                "sshd did not listen within 10 s:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn into_dir(mut self) -> TempDir {
        self.child.kill().ok();
        self.child.wait().ok();
        let placeholder = tempfile::tempdir().expect("a temporary directory");
        std::mem::replace(&mut self.dir, placeholder)
    }

    /// The known_hosts line for the server at `host` (an address of 127.0.0.0/8).
    pub fn known_hosts_line(&self, host: &str) -> String {
        format!("[{host}]:{} {}", self.port, self.host_public_key)
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
        fs::read_to_string(self.dir.path().join("sshd.log")).unwrap_or_default()
    }
}

impl Drop for SshServer {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn preconditions() {
    let bwrap = ["/usr/bin/bwrap", "/bin/bwrap"]
        .iter()
        .any(|p| Path::new(p).exists());
    assert!(Path::new(SSHD).exists() && bwrap, "{MISSING_TOOLS}");
    let root = fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    assert!(
        root,
        "SshServer runs sshd and bubblewrap, which need root: run the tests as root"
    );
    // sshd's privilege separation directory; the Debian service creates it at boot.
    fs::create_dir_all("/run/sshd").expect("create /run/sshd");
}

/// The configuration: public keys only, root from loopback only, the node on 127.0.0.1 and the
/// containers on every other loopback address.
fn sshd_config(dir: &Path, port: u16, options: &SshOptions) -> String {
    let ct_exec = dir.join("berth-ct-exec");
    let sandbox = options.sandbox_dir.display();
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
        host_key = dir.join("host_key").display(),
        node_keys = dir.join("node_keys").display(),
        node = options.node,
        bin = dir.join("bin").display(),
    );
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
