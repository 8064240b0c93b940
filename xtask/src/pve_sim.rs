//! The Proxmox VE simulator as a child: Berth's default backend when no real Proxmox is given.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::proc::{self, Guard, StopSignal};
use crate::{net, postgres};

/// The token Berth uses: the seed's least-privilege service account, never root.
const BERTH_TOKEN_ID: &str = "berth@pve!provisioner";

/// A running simulator and what Berth needs to reach it.
#[derive(Debug)]
pub struct PveSim {
    pub guard: Guard,
    /// `https://127.0.0.1:PORT`
    pub url: String,
    /// `user@realm!tokenid=secret`
    pub token: String,
    /// The CA its certificate is signed by (like a cluster's `pve-root-ca.pem`).
    pub ca_file: PathBuf,
    /// Every seeded token it announced, `user@realm!tokenid=secret`.
    pub tokens: Vec<String>,
    /// Its sshd in front of the sandboxes, when started with [`Ssh::On`].
    pub ssh: Option<SimSsh>,
}

/// Whether the simulator gives containers sandboxes and runs an sshd in front of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ssh {
    Off,
    /// `--sandbox-dir <dir>/sandboxes --ssh --ssh-port-22`.
    On,
}

/// What the simulator announced about its sshd (`ssh …:` lines).
#[derive(Debug, Clone)]
pub struct SimSsh {
    pub port: u16,
    /// Logs in to 127.0.0.1, "the node" with `pct`.
    pub node_key: PathBuf,
    /// `ssh-ed25519 AAAA…`
    pub host_key: String,
    /// Trusts the host key on `[127.*]:port`.
    pub known_hosts: PathBuf,
    pub sandbox_dir: PathBuf,
}

impl PveSim {
    /// The `BERTH_PVE_*` settings that point Berth at this simulator.
    pub fn berth_env(&self) -> [(&'static str, String); 3] {
        [
            ("BERTH_PVE_URL", self.url.clone()),
            ("BERTH_PVE_TOKEN", self.token.clone()),
            ("BERTH_PVE_CA_FILE", self.ca_file.display().to_string()),
        ]
    }
}

/// Starts `berth-pve-sim` with its state (containers, certificate, sshd keys) kept in `dir`;
/// `time_scale` shortens simulated durations (1.0 is real time).
pub fn start(binary: &Path, dir: &Path, time_scale: f64, ssh: Ssh) -> Result<PveSim> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let port = net::free_port()?;
    let ca_file = dir.join("pve-root-ca.pem");
    let out_path = dir.join("announce.txt");
    let log_path = dir.join("pve-sim.log");
    // A stale CA file would be read before the new one is written.
    let _ = std::fs::remove_file(&ca_file);
    let out =
        File::create(&out_path).with_context(|| format!("cannot create {}", out_path.display()))?;
    let log =
        File::create(&log_path).with_context(|| format!("cannot create {}", log_path.display()))?;
    let mut command = Command::new(binary);
    command
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .arg("--state")
        .arg(dir.join("state.json"))
        .arg("--ca-file")
        .arg(&ca_file)
        .args(["--time-scale", &time_scale.to_string()])
        .stdout(out)
        .stderr(log);
    let sandbox_dir = dir.join("sandboxes");
    if ssh == Ssh::On {
        // Port 22 too, where templates' health checks look for the containers' sshd.
        command
            .arg("--sandbox-dir")
            .arg(&sandbox_dir)
            .args(["--ssh", "--ssh-port-22"]);
    }
    let mut guard = Guard::spawn("berth-pve-sim", &mut command, StopSignal::Term)?;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let announced = std::fs::read_to_string(&out_path).unwrap_or_default();
        // The token lines come last.
        if let Some(token) = token_line(&announced)
            && ca_file.exists()
        {
            let ssh = match ssh {
                Ssh::Off => None,
                Ssh::On => Some(
                    ssh_lines(&announced, sandbox_dir)
                        .context("berth-pve-sim did not announce its sshd")?,
                ),
            };
            return Ok(PveSim {
                guard,
                url: format!("https://127.0.0.1:{port}"),
                token,
                ca_file,
                tokens: announced
                    .lines()
                    .filter_map(|line| line.strip_prefix("token: "))
                    .map(str::to_owned)
                    .collect(),
                ssh,
            });
        }
        if let Some(status) = guard.exited() {
            bail!(
                "berth-pve-sim exited ({status}) while starting:\n{}",
                postgres::tail(&log_path)
            );
        }
        if proc::stop_requested() {
            bail!("interrupted while waiting for berth-pve-sim");
        }
        if Instant::now() > deadline {
            bail!(
                "berth-pve-sim did not announce its token within 30 s:\n{}",
                postgres::tail(&log_path)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `token: berth@pve!provisioner=<uuid>` → `berth@pve!provisioner=<uuid>`.
fn token_line(announced: &str) -> Option<String> {
    announced
        .lines()
        .filter_map(|line| line.strip_prefix("token: "))
        .find(|token| token.starts_with(&format!("{BERTH_TOKEN_ID}=")))
        .map(str::to_owned)
}

/// The `ssh port:`, `ssh node key:`, `ssh host key:` and `ssh known hosts:` lines.
fn ssh_lines(announced: &str, sandbox_dir: PathBuf) -> Option<SimSsh> {
    let value = |key: &str| {
        announced
            .lines()
            .find_map(|line| line.strip_prefix(key)?.strip_prefix(": "))
            .map(str::trim)
    };
    Some(SimSsh {
        port: value("ssh port")?.parse().ok()?,
        node_key: value("ssh node key")?.into(),
        host_key: value("ssh host key")?.to_owned(),
        known_hosts: value("ssh known hosts")?.into(),
        sandbox_dir,
    })
}

#[cfg(test)]
mod tests {
    use super::{ssh_lines, token_line};

    #[test]
    fn picks_the_least_privileged_service_token() {
        let announced = "berth-pve-sim listening on https://127.0.0.1:1/api2/json\n\
                         token: root@pam!admin=aaa\n\
                         token: berth@pve!provisioner=bbb\n";
        assert_eq!(
            token_line(announced).as_deref(),
            Some("berth@pve!provisioner=bbb")
        );
        assert_eq!(token_line("token: root@pam!admin=aaa\n"), None);
    }

    #[test]
    fn reads_the_sshd_lines() {
        let announced = "certificate SHA-256 fingerprint: AA\n\
                         ssh port: 40123\n\
                         ssh node: pve1 at 127.0.0.1\n\
                         ssh node key: /s/ssh/node_key\n\
                         ssh host key: ssh-ed25519 AAAAC3\n\
                         ssh known hosts: /s/ssh/known_hosts\n";
        let ssh = ssh_lines(announced, "/s/sandboxes".into()).unwrap();
        assert_eq!(ssh.port, 40123);
        assert_eq!(ssh.node_key.to_str(), Some("/s/ssh/node_key"));
        assert_eq!(ssh.host_key, "ssh-ed25519 AAAAC3");
        assert_eq!(ssh.known_hosts.to_str(), Some("/s/ssh/known_hosts"));
        assert!(ssh_lines("ssh port: x\n", "/s".into()).is_none());
    }
}
