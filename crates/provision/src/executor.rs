//! Running commands and placing files inside a container: what the SSH stages (connect, install
//! packages, push files, run scripts, verify) need. The REST API has no exec (PVE-API.md §8), so
//! implementations go over SSH, either straight into the container with the key injected at
//! create or to the node with `pct exec` / `pct push`. Only the contract lives here for now; the
//! implementations and the stages that use them come with the SSH executor.

use std::future::Future;
use std::time::Duration;

/// What a finished command left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The exit code; `None` when the command was killed by a signal.
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Output {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }
}

/// Commands and files in one container. Implementations must not log `env` values or `stdin`:
/// they carry template inputs, some of them secrets.
pub trait Executor: Send + Sync {
    type Error: std::error::Error + Send + Sync + 'static;

    /// Runs `command` through the container's shell as root, with `env` added to its
    /// environment and `stdin` as its input; kills it after `timeout`, which is an error, not
    /// an [`Output`].
    fn exec(
        &self,
        command: &str,
        env: &[(String, String)],
        stdin: &[u8],
        timeout: Duration,
    ) -> impl Future<Output = Result<Output, Self::Error>> + Send;

    /// Writes `bytes` to the absolute `path` (creating parent directories), then sets `mode`
    /// (e.g. `0o644`) and `owner` (`user` or `user:group`). Replaces an existing file.
    fn push(
        &self,
        path: &str,
        bytes: &[u8],
        mode: u32,
        owner: &str,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send;
}
