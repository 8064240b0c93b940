//! Helpers shared by Berth's integration tests: the test services' URLs, free ports, and running
//! a binary with a clean environment, signalling it and waiting for it with a deadline; and a
//! real OpenSSH server in front of berth-pve-sim's sandboxes ([`sshd`]).
//! Test support: a broken precondition panics with a message saying what to do.

#![allow(clippy::expect_used, clippy::unwrap_used)]

pub mod services;
pub mod sshd;

use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

/// The Redis of the test run (`cargo xtask test` sets it).
pub fn redis_url() -> String {
    std::env::var("BERTH_TEST_REDIS_URL")
        .expect("BERTH_TEST_REDIS_URL is not set: run the tests with `cargo xtask test`")
}

/// A TCP port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port on 127.0.0.1")
}

/// `binary` with only `PATH` and the given variables: the host's `BERTH_*` must not leak in.
pub fn command(binary: &str, envs: &[(&str, &str)]) -> Command {
    let mut command = Command::new(binary);
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for (key, value) in envs {
        command.env(key, value);
    }
    command
}

/// Sends SIGTERM, as systemd or Kubernetes would to stop a service.
pub fn terminate(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -TERM {}", child.id());
}

/// Waits for the child to exit; kills it and panics after `limit`.
pub fn wait_with_deadline(child: &mut Child, limit: Duration) -> ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("poll child") {
            return status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("process {} did not exit within {limit:?}", child.id());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Everything the child wrote to its piped stderr (after it exited).
pub fn stderr_of(child: &mut Child) -> String {
    use std::io::Read;
    let mut text = String::new();
    if let Some(mut stderr) = child.stderr.take() {
        stderr.read_to_string(&mut text).expect("read stderr");
    }
    text
}
