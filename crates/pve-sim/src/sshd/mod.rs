//! A real OpenSSH server in front of the sandboxes (see the README's "Sandboxes"), for the
//! simulator binary's `--ssh` and berth-testkit's `SshServer`. Connections to 127.0.0.1 reach
//! "the node": the node key logs in as root, and `pct` (a link to `berth-ct-exec`) runs commands
//! in the node's containers. Connections to any other 127.x address reach the container that
//! reports that address: the keys in its `/root/.ssh/authorized_keys` log in (only while it
//! runs), and the session runs inside its sandbox.
//!
//! Needs root, `/usr/sbin/sshd`, `bwrap` and `ssh-keygen` ([`unavailable`] says what is missing).

mod config;

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::{PermissionsExt as _, symlink};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

pub use config::{KeyPair, SSHD, unavailable};

/// What the server serves and where it keeps its files.
#[derive(Debug, Clone)]
pub struct SshdOptions {
    /// The simulator's sandbox dir.
    pub sandbox_dir: PathBuf,
    /// The node 127.0.0.1 stands for (`BERTH_SIM_NODE` of `pct`), e.g. `pve1`.
    pub node: String,
    /// The `berth-ct-exec` binary (copied into `run_dir`).
    pub ct_exec: PathBuf,
    /// Where `host_key`, `node_key` (each with `.pub`) and `known_hosts` are kept. Existing keys
    /// are reused, so clients keep trusting the host key across restarts.
    pub key_dir: PathBuf,
    /// The configuration, `berth-ct-exec` and the log. sshd runs an `AuthorizedKeysCommand` only
    /// from a root-owned path nobody else can write to, so this belongs under /run, not /tmp.
    /// Created (and removed again when the server stops) unless it exists.
    pub run_dir: PathBuf,
    /// The port; `None` picks a free one.
    pub port: Option<u16>,
    /// Ports sshd also listens on when they are free (a taken one is skipped), e.g. 22, where
    /// templates' health checks look for the containers' sshd.
    pub extra_ports: Vec<u16>,
}

/// A running `sshd`; dropping it stops the server.
#[derive(Debug)]
pub struct Sshd {
    /// The port, on every address of 127.0.0.0/8.
    pub port: u16,
    /// The key that logs in to the node (127.0.0.1).
    pub node_key: KeyPair,
    /// The server's host key, `ssh-ed25519 AAAA…`.
    pub host_public_key: String,
    /// A known_hosts file that trusts the host key on every 127.x address at this port.
    pub known_hosts: PathBuf,
    run_dir: PathBuf,
    owns_run_dir: bool,
    pid_file: PathBuf,
    child: Option<Child>,
}

impl Sshd {
    /// Starts sshd and waits until it accepts connections.
    pub fn start(options: &SshdOptions) -> anyhow::Result<Self> {
        if let Some(why) = unavailable() {
            bail!("cannot run sshd for the sandboxes: {why}");
        }
        // sshd's privilege separation directory; the Debian service creates it at boot.
        fs::create_dir_all("/run/sshd").context("creating /run/sshd")?;
        // Before the key dir, which may be inside it (the binary without --state).
        let owns_run_dir = !options.run_dir.exists();
        fs::create_dir_all(&options.key_dir)
            .with_context(|| format!("creating {}", options.key_dir.display()))?;
        let pid_file = options.key_dir.join("sshd.pid");
        stop_stale(&pid_file);
        let run_dir = &options.run_dir;
        fs::create_dir_all(run_dir).with_context(|| format!("creating {}", run_dir.display()))?;
        fs::set_permissions(run_dir, fs::Permissions::from_mode(0o700))?;
        let host = KeyPair::load_or_generate(&options.key_dir, "host_key", "berth-pve-sim-host")?;
        let node_key =
            KeyPair::load_or_generate(&options.key_dir, "node_key", "berth-pve-sim-node")?;
        let ct_exec = run_dir.join("berth-ct-exec");
        fs::copy(&options.ct_exec, &ct_exec)
            .with_context(|| format!("copying {}", options.ct_exec.display()))?;
        fs::set_permissions(&ct_exec, fs::Permissions::from_mode(0o755))?;
        let bin = run_dir.join("bin");
        fs::create_dir_all(&bin)?;
        let _ = fs::remove_file(bin.join("pct"));
        symlink(&ct_exec, bin.join("pct")).context("linking bin/pct")?;
        fs::write(run_dir.join("node_keys"), format!("{}\n", node_key.public))?;
        let layout = config::Layout {
            run_dir,
            host_key: &host.private,
            sandbox_dir: &options.sandbox_dir,
            node: &options.node,
        };
        let attempts = if options.port.is_some() { 1 } else { 5 };
        for _ in 0..attempts {
            let port = match options.port {
                Some(port) => port,
                None => free_port()?,
            };
            let config_path = run_dir.join("sshd_config");
            fs::write(
                &config_path,
                config::sshd_config(&layout, port, &options.extra_ports),
            )?;
            let log = fs::File::create(run_dir.join("sshd.log"))?;
            let child = Command::new(SSHD)
                .args(["-D", "-e", "-f"])
                .arg(&config_path)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .with_context(|| format!("starting {SSHD}"))?;
            fs::write(
                &pid_file,
                format!("{}\n{}\n", child.id(), config_path.display()),
            )?;
            let known_hosts = options.key_dir.join("known_hosts");
            let host_public_key = host.key_only();
            fs::write(&known_hosts, format!("[127.*]:{port} {host_public_key}\n"))?;
            let mut server = Self {
                port,
                node_key: node_key.clone(),
                host_public_key,
                known_hosts,
                run_dir: run_dir.clone(),
                owns_run_dir,
                pid_file: pid_file.clone(),
                child: Some(child),
            };
            if server.wait_ready()? {
                return Ok(server);
            }
            // Another process took the port meanwhile: try another one (dropping the server
            // would remove the run dir the next attempt needs).
            server.kill();
            server.owns_run_dir = false;
        }
        bail!(
            "sshd could not listen on port {:?}:\n{}",
            options.port,
            log_of(run_dir)
        );
    }

    /// Whether the server accepts connections; `false` when it lost the port to a race.
    fn wait_ready(&mut self) -> anyhow::Result<bool> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let exited = match self.child.as_mut() {
                Some(child) => child.try_wait()?,
                None => bail!("sshd is not running"),
            };
            if let Some(status) = exited {
                let log = self.log();
                if log.contains("Address already in use") {
                    return Ok(false);
                }
                bail!("sshd exited ({status}):\n{log}");
            }
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return Ok(true);
            }
            if Instant::now() > deadline {
                bail!("sshd did not listen within 10 s:\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The known_hosts line for the server at `host` (an address of 127.0.0.0/8).
    pub fn known_hosts_line(&self, host: &str) -> String {
        format!("[{host}]:{} {}", self.port, self.host_public_key)
    }

    /// What sshd logged so far (`-e`: to its stderr, kept in a file).
    pub fn log(&self) -> String {
        log_of(&self.run_dir)
    }

    /// Whether sshd is still running.
    pub fn running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().ok();
            child.wait().ok();
        }
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        self.kill();
        let _ = fs::remove_file(&self.pid_file);
        if self.owns_run_dir {
            let _ = fs::remove_dir_all(&self.run_dir);
        }
    }
}

fn log_of(run_dir: &Path) -> String {
    fs::read_to_string(run_dir.join("sshd.log")).unwrap_or_default()
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Stops the sshd a previous run left behind when it was killed before it could stop it (the
/// pid file names the process and its configuration), and removes that run's directory.
fn stop_stale(pid_file: &Path) {
    let Ok(text) = fs::read_to_string(pid_file) else {
        return;
    };
    let mut lines = text.lines();
    let (Some(pid), Some(config)) = (lines.next(), lines.next()) else {
        return;
    };
    let cmdline = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let ours = String::from_utf8_lossy(&cmdline).contains(config);
    if ours && pid.chars().all(|c| c.is_ascii_digit()) {
        // `kill` the command: the workspace forbids the unsafe libc call.
        let _ = Command::new("kill").args(["-TERM", pid]).status();
        for _ in 0..50 {
            if !Path::new(&format!("/proc/{pid}")).exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    if let Some(dir) = Path::new(config).parent()
        && dir.starts_with("/run")
        && dir
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("berth-pve-sim"))
    {
        let _ = fs::remove_dir_all(dir);
    }
    let _ = fs::remove_file(pid_file);
}
