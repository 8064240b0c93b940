//! A private Redis: no persistence, loopback only, run as a child.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::proc::{self, Guard, StopSignal};
use crate::{cmd, net, postgres};

/// The running instance and its port.
#[derive(Debug)]
pub struct Redis {
    pub guard: Guard,
    pub port: u16,
}

/// Starts `redis-server` with its folder (and pid file) in `base/redis`.
pub fn start(base: &Path) -> Result<Redis> {
    let dir = base.join("redis");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let pidfile = dir.join("redis.pid");
    stop_stale(&pidfile);
    let port = net::free_port()?;
    let log_path = base.join("redis.log");
    let log =
        File::create(&log_path).with_context(|| format!("cannot create {}", log_path.display()))?;
    let mut server = Command::new("redis-server");
    server.args([
        "--port",
        &port.to_string(),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
    ]);
    server
        .args(["--appendonly", "no", "--dir"])
        .arg(&dir)
        .arg("--pidfile")
        .arg(&pidfile);
    // Own process group, as for Postgres: stopped by xtask after the server and worker.
    server.process_group(0).stdout(log.try_clone()?).stderr(log);
    let mut guard = Guard::spawn("redis", &mut server, StopSignal::Term)?;
    let deadline = Instant::now() + Duration::from_secs(30);
    let address = format!("127.0.0.1:{port}");
    while !net::redis_pings(&address) {
        if let Some(status) = guard.exited() {
            bail!(
                "redis-server exited ({status}) while starting:\n{}",
                postgres::tail(&log_path)
            );
        }
        if proc::stop_requested() {
            bail!("interrupted while waiting for redis");
        }
        if Instant::now() > deadline {
            bail!("redis-server did not answer PING within 30 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(Redis { guard, port })
}

/// A redis-server left behind by a killed xtask: stop it (only if the pid is still Redis).
fn stop_stale(pidfile: &Path) {
    let Ok(pid) = std::fs::read_to_string(pidfile) else {
        return;
    };
    let pid = pid.trim();
    let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
    if comm.trim() == "redis-server" {
        eprintln!("xtask: stopping a leftover redis-server (pid {pid}) of an earlier run");
        cmd::succeeds(Command::new("kill").args(["-s", "TERM", pid]));
    }
}
