//! One SSH connection (a multiplexed `ssh` master, via the `openssh` crate) and running a
//! remote command on it with bytes on stdin, a deadline and its output collected.

use super::{ExecError, LineSender, Output, OutputLine};
use openssh::{KnownHosts, Session, SessionBuilder, Stdio};
use std::path::PathBuf;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWriteExt, BufReader};

/// How much of each stream a result keeps: enough for an error message's tail, bounded for a
/// command that prints without end.
pub const KEPT_OUTPUT: usize = 64 * 1024;

/// Where and how to connect.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub user: String,
    /// The private key to offer.
    pub key_file: PathBuf,
    /// The known-hosts file this connection checks the host key against.
    pub known_hosts: PathBuf,
    /// `Strict` for a node (its key is known beforehand); `Add` (trust on first use, then pinned
    /// in `known_hosts`) for a container that was just made and whose key nobody knows yet.
    pub check: KnownHosts,
    pub connect_timeout: Duration,
}

impl Endpoint {
    pub fn describe(&self) -> String {
        format!("{}@{}:{}", self.user, self.host, self.port)
    }
}

/// An open connection.
#[derive(Debug)]
pub struct Link {
    session: Session,
    endpoint: Endpoint,
}

impl Link {
    pub async fn open(endpoint: Endpoint) -> Result<Self, ExecError> {
        let mut builder = SessionBuilder::default();
        builder
            .user(endpoint.user.clone())
            .port(endpoint.port)
            .keyfile(&endpoint.key_file)
            .known_hosts_check(endpoint.check.clone())
            .user_known_hosts_file(&endpoint.known_hosts)
            .connect_timeout(endpoint.connect_timeout)
            .server_alive_interval(Duration::from_secs(15))
            .control_directory(std::env::temp_dir());
        let session =
            builder
                .connect(&endpoint.host)
                .await
                .map_err(|error| ExecError::Connect {
                    target: endpoint.describe(),
                    reason: error_chain(&error),
                })?;
        Ok(Self { session, endpoint })
    }

    pub fn describe(&self) -> String {
        self.endpoint.describe()
    }

    /// Runs `command` (one line for the remote shell) with `stdin`; kills it after `timeout`.
    /// Each line it writes goes to `lines` as it comes, and the output is kept (its last
    /// [`KEPT_OUTPUT`] bytes per stream) for the result.
    pub async fn run(
        &self,
        command: &str,
        stdin: &[u8],
        timeout: Duration,
        lines: Option<&LineSender>,
    ) -> Result<Output, ExecError> {
        let work = async {
            let mut child = self
                .session
                .raw_command(command)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .await
                .map_err(|e| self.transport(&e))?;
            let input = child.stdin().take();
            let feed = async move {
                if let Some(mut input) = input {
                    input.write_all(stdin).await?;
                    // Dropping stdin closes it: the remote side sees the end of its input.
                    input.shutdown().await?;
                }
                Ok::<_, std::io::Error>(())
            };
            let out = pump(child.stdout().take(), false, lines);
            let err = pump(child.stderr().take(), true, lines);
            let (fed, stdout, stderr) = tokio::join!(feed, out, err);
            let status = child.wait().await.map_err(|e| self.transport(&e))?;
            // A command that exits without reading all its input is not a transport failure.
            if let Err(error) = fed {
                tracing::debug!(%error, "the remote command did not read all its input");
            }
            Ok(Output {
                code: status.code(),
                stdout: stdout.map_err(|e| self.transport(&e))?,
                stderr: stderr.map_err(|e| self.transport(&e))?,
            })
        };
        match tokio::time::timeout(timeout, work).await {
            Ok(result) => result,
            Err(_) => Err(ExecError::Timeout {
                target: self.endpoint.describe(),
                after: timeout,
            }),
        }
    }

    pub async fn close(self) {
        if let Err(error) = self.session.close().await {
            tracing::debug!(target = %self.endpoint.describe(), error = %error, "closing an SSH session");
        }
    }

    fn transport(&self, error: &dyn std::error::Error) -> ExecError {
        ExecError::Transport {
            target: self.endpoint.describe(),
            reason: error_chain(error),
        }
    }
}

/// An error with its sources, on one line: `ssh`'s own message is usually at the bottom.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Reads a stream line by line, forwarding each line and keeping the last [`KEPT_OUTPUT`] bytes.
async fn pump(
    stream: Option<impl AsyncRead + Unpin>,
    stderr: bool,
    lines: Option<&LineSender>,
) -> std::io::Result<Vec<u8>> {
    let Some(stream) = stream else {
        return Ok(Vec::new());
    };
    let mut reader = BufReader::new(stream);
    let mut kept = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Ok(kept);
        }
        kept.extend_from_slice(&line);
        if kept.len() > KEPT_OUTPUT {
            kept.drain(..kept.len() - KEPT_OUTPUT);
        }
        if let Some(sender) = lines {
            let text = String::from_utf8_lossy(&line);
            // A closed receiver only means nobody follows the output any more.
            let _ = sender.send(OutputLine {
                stderr,
                line: text.trim_end_matches(['\n', '\r']).to_string(),
            });
        }
    }
}
