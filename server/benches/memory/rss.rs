//! A process's memory as the kernel counts it (`/proc/<pid>/status`), read once it has settled.
//! Shared by the server's and the worker's memory benches (the worker's includes this file).

use std::process::Child;
use std::time::{Duration, Instant};

/// Resident set now and its peak so far, in KiB.
#[derive(Debug, Clone, Copy)]
pub struct Memory {
    pub rss_kib: u64,
    pub hwm_kib: u64,
}

/// `VmRSS` and `VmHWM` of `pid`; `None` once the process is gone.
pub fn read(pid: u32) -> Option<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
    };
    Some(Memory {
        rss_kib: field("VmRSS:")?,
        hwm_kib: field("VmHWM:")?,
    })
}

/// Samples every 250 ms until the resident set has moved by at most 256 KiB over the last 3 s
/// (background timers such as heartbeats and polls keep it from being perfectly still), or
/// until `limit`. Returns the last sample and how long settling took.
pub async fn settled(pid: u32, limit: Duration) -> (Memory, Duration) {
    const WINDOW: usize = 12;
    let started = Instant::now();
    let mut samples: Vec<Memory> = Vec::new();
    loop {
        let now = read(pid).unwrap_or_else(|| panic!("process {pid} exited"));
        samples.push(now);
        let recent = &samples[samples.len().saturating_sub(WINDOW)..];
        let spread = recent.iter().map(|m| m.rss_kib).max().unwrap_or(0)
            - recent.iter().map(|m| m.rss_kib).min().unwrap_or(0);
        if (recent.len() == WINDOW && spread <= 256) || started.elapsed() >= limit {
            return (now, started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// KiB as MB (MiB, as the targets mean them), one decimal.
pub fn mb(kib: u64) -> String {
    format!("{:.1} MB", kib as f64 / 1024.0)
}

/// A measured process, killed and reaped when dropped, so that a bench that stops early leaves
/// nothing running.
pub struct Measured(pub Child);

impl Measured {
    /// Starts `binary` as a deployment runs it: only `env` (and the Proxmox simulator's URL,
    /// token and fingerprint) in its environment, its log in `log`.
    pub fn spawn(
        binary: &str,
        env: &[(&str, &str)],
        sim: &berth_pve_sim::RunningSim,
        log: &std::path::Path,
    ) -> Self {
        let token = sim.token("berth@pve!provisioner").unwrap();
        let token = format!("{}={}", token.full_id, token.secret);
        let mut env = env.to_vec();
        env.extend([
            ("BERTH_PVE_URL", sim.base_url.trim_end_matches("/api2/json")),
            ("BERTH_PVE_TOKEN", &token),
            ("BERTH_PVE_FINGERPRINT", sim.fingerprint.as_deref().unwrap()),
        ]);
        let child = berth_testkit::command(binary, &env)
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(log).unwrap())
            .spawn()
            .unwrap();
        Self(child)
    }
}

impl Drop for Measured {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Whether a resident set of `kib` meets a target of `target_mb` MB.
pub fn verdict(kib: u64, target_mb: f64) -> &'static str {
    if kib as f64 / 1024.0 <= target_mb {
        "met"
    } else {
        "missed"
    }
}
