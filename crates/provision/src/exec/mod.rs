//! Running commands and placing files inside a container: what the SSH stages (connect, install
//! packages, push files, run scripts, verify) need. The REST API has no exec (PVE-API.md §8), so
//! both implementations go over SSH: [`Direct`] logs into the container with the key Berth
//! injected at create; [`Node`] logs into the node that owns it and uses `pct exec` / `pct push`
//! (for containers that run no SSH server, or that sit on a network the worker cannot reach).

mod direct;
mod link;
mod node;
pub(crate) mod script;

pub use direct::Direct;
pub use link::Endpoint;
pub use node::Node;

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

    /// The last `lines` lines of stderr (or of stdout when stderr is empty), for an error message.
    pub fn tail(&self, lines: usize) -> String {
        let bytes = if self.stderr.iter().all(u8::is_ascii_whitespace) {
            &self.stdout
        } else {
            &self.stderr
        };
        let text = String::from_utf8_lossy(bytes);
        let all: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    pub fn code_text(&self) -> String {
        self.code
            .map(|c| format!("exit code {c}"))
            .unwrap_or_else(|| "killed by a signal".into())
    }
}

/// One line a command wrote, as it comes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputLine {
    pub stderr: bool,
    pub line: String,
}

/// Where a command's lines go while it runs.
pub type LineSender = tokio::sync::mpsc::UnboundedSender<OutputLine>;

/// Why a command could not be run (as opposed to running and failing, which is an [`Output`]).
#[derive(Debug, Clone, thiserror::Error)]
pub enum ExecError {
    #[error("cannot connect over SSH to {target}: {reason}")]
    Connect { target: String, reason: String },
    #[error("SSH to {target} failed: {reason}")]
    Transport { target: String, reason: String },
    #[error("a command over SSH to {target} did not finish within {} s", .after.as_secs())]
    Timeout { target: String, after: Duration },
    /// A setup step on the remote side (e.g. copying a file to the node) failed.
    #[error("{0}")]
    Remote(String),
    #[error("invalid request: {0}")]
    Invalid(String),
}

/// Commands and files in one container. Implementations must not log `env` values or file
/// contents: they carry template inputs, some of them secrets.
pub trait Executor: Send + Sync {
    /// Runs `command` with `/bin/sh -c` as root in the container, with `env` added to its
    /// environment (passed on stdin, not on a command line) and no stdin of its own; kills it
    /// after `timeout`, which is an error, not an [`Output`]. Its lines go to `lines` as they
    /// are written.
    fn exec(
        &self,
        command: &str,
        env: &[(String, String)],
        timeout: Duration,
        lines: Option<&LineSender>,
    ) -> impl Future<Output = Result<Output, ExecError>> + Send;

    /// Writes `bytes` to the absolute `path` (creating parent directories), then sets `mode`
    /// (e.g. `0o644`) and `owner` (`user` or `user:group`). Replaces an existing file.
    fn push(
        &self,
        path: &str,
        bytes: &[u8],
        mode: u32,
        owner: &str,
    ) -> impl Future<Output = Result<(), ExecError>> + Send;
}

/// Either executor, chosen by the worker's settings.
#[derive(Debug)]
pub enum AnyExecutor {
    Direct(Direct),
    Node(Node),
}

impl AnyExecutor {
    pub fn describe(&self) -> String {
        match self {
            Self::Direct(direct) => direct.describe(),
            Self::Node(node) => node.describe(),
        }
    }

    pub async fn close(self) {
        match self {
            Self::Direct(direct) => direct.close().await,
            Self::Node(node) => node.close().await,
        }
    }
}

impl Executor for AnyExecutor {
    async fn exec(
        &self,
        command: &str,
        env: &[(String, String)],
        timeout: Duration,
        lines: Option<&LineSender>,
    ) -> Result<Output, ExecError> {
        match self {
            Self::Direct(direct) => direct.exec(command, env, timeout, lines).await,
            Self::Node(node) => node.exec(command, env, timeout, lines).await,
        }
    }

    async fn push(
        &self,
        path: &str,
        bytes: &[u8],
        mode: u32,
        owner: &str,
    ) -> Result<(), ExecError> {
        match self {
            Self::Direct(direct) => direct.push(path, bytes, mode, owner).await,
            Self::Node(node) => node.push(path, bytes, mode, owner).await,
        }
    }
}

/// Checks what both executors require of a request before anything is sent.
fn check_request(env: &[(String, String)]) -> Result<(), ExecError> {
    match env.iter().find(|(name, _)| !script::valid_env_name(name)) {
        Some((name, _)) => Err(ExecError::Invalid(format!(
            "{name:?} is not a valid environment variable name"
        ))),
        None => Ok(()),
    }
}

fn check_path(path: &str) -> Result<(), ExecError> {
    if !path.starts_with('/') || path.ends_with('/') || path.contains('\0') {
        return Err(ExecError::Invalid(format!(
            "{path:?} is not an absolute file path"
        )));
    }
    Ok(())
}

/// A setup command that ran and failed, as an error naming `what` it was for.
fn failed(what: &str, output: &Output) -> ExecError {
    ExecError::Remote(format!(
        "{what} failed ({}): {}",
        output.code_text(),
        output.tail(5)
    ))
}

/// How long writing a file may take: generous, files are small.
const PUSH_TIMEOUT: Duration = Duration::from_secs(120);
