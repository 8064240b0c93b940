//! The client's one error type, and whether a failed call may be retried safely.
//!
//! The distinction that matters to a caller that creates things (after proxmox-rs
//! `proxmox-client/src/error.rs`): a request that never left cannot have been applied, so it
//! can be sent again; a request that left and then timed out, lost its connection or got a
//! 5xx *may* have been applied, so the caller must look (list, task status) before resending.

use crate::endpoints::Method;
use crate::upid::Upid;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// Whether sending the same request again is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// The request never reached the server (DNS, connect, TLS): resending cannot apply it twice.
    Safe,
    /// It may have been applied: observe the state before sending it again.
    MaybeApplied,
    /// The server refused it (4xx, bad config, failed task): the same request fails again.
    No,
}

/// Everything a call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The client was configured wrongly (bad URL, unreadable CA file, bad fingerprint).
    #[error("invalid PVE client configuration: {0}")]
    Config(String),
    /// No connection could be made (DNS, refused, unreachable). Nothing was sent.
    #[error("could not connect to {url}: {message}")]
    Connect {
        url: String,
        message: String,
        #[source]
        source: reqwest::Error,
    },
    /// The server's certificate was not accepted. Nothing was sent.
    #[error("TLS certificate of {url} rejected: {reason}")]
    Certificate { url: String, reason: String },
    /// No complete answer within the timeout. `sent` is false only when it ran out while
    /// connecting, i.e. before the request left.
    #[error("{method} {path}: no answer within {timeout:?}")]
    Timeout {
        method: Method,
        path: String,
        timeout: Duration,
        sent: bool,
    },
    /// The connection failed after the request was (or may have been) sent.
    #[error("{method} {path}: connection failed: {message}")]
    Transport {
        method: Method,
        path: String,
        message: String,
        #[source]
        source: reqwest::Error,
    },
    /// The server answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// A success status whose body is not what the API documents.
    #[error("{method} {path}: unexpected response body ({source}): {body}")]
    Decode {
        method: Method,
        path: String,
        body: String,
        #[source]
        source: serde_json::Error,
    },
    /// The user has a second factor; a password login cannot finish without it.
    #[error("login of {username} needs a second factor (NeedTFA); use an API token instead")]
    NeedTfa { username: String },
    /// A task ended with an exit status other than `OK` or `WARNINGS: n`.
    #[error("task {} failed: {}", .0.upid, .0.exitstatus)]
    TaskFailed(Box<TaskFailure>),
    /// `wait_task` gave up while the task was still running.
    #[error("task {upid} still running after {waited:?}")]
    TaskTimeout { upid: Box<Upid>, waited: Duration },
}

/// A finished task that failed, with the end of its log for the operator.
#[derive(Debug, Clone)]
pub struct TaskFailure {
    pub upid: Upid,
    /// The error text after `TASK ERROR: `, e.g. `unable to create CT 100 - …`.
    pub exitstatus: String,
    /// The last lines of the task log, oldest first.
    pub log_tail: Vec<String>,
}

impl Error {
    /// Whether sending the same request again is safe.
    pub fn retry(&self) -> Retry {
        match self {
            Error::Connect { .. } | Error::Certificate { .. } => Retry::Safe,
            Error::Timeout { sent: false, .. } => Retry::Safe,
            Error::Timeout { sent: true, .. } | Error::Transport { .. } => Retry::MaybeApplied,
            // A success status was applied; the body was just not understood.
            Error::Decode { .. } => Retry::MaybeApplied,
            Error::TaskTimeout { .. } => Retry::MaybeApplied,
            Error::Api(e) => e.retry(),
            Error::Config(_) | Error::NeedTfa { .. } | Error::TaskFailed(_) => Retry::No,
        }
    }

    /// Proxmox gave no answer at all: no connection, or the connection broke or timed out. An
    /// outage or a network fault rather than a refusal; a caller whose steps observe before they
    /// act may wait and try again.
    pub fn is_no_answer(&self) -> bool {
        matches!(
            self,
            Error::Connect { .. } | Error::Timeout { .. } | Error::Transport { .. }
        )
    }

    /// Shorthand for `retry() == Retry::Safe`.
    pub fn is_retry_safe(&self) -> bool {
        self.retry() == Retry::Safe
    }

    /// The HTTP error, if the server answered with one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

/// An error status from the server, with everything PVE puts in it (PVE-API.md §3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub method: Method,
    pub path: String,
    pub status: u16,
    /// The status line's reason phrase, where PVE writes the first line of the error
    /// (`Permission check failed (/vms/100, VM.Allocate)`). When the server sent the standard
    /// phrase for the code this is that phrase.
    pub reason: String,
    /// The body's `message` (libpve-http-server-perl ≥ 5.2.0), trailing newline removed.
    pub message: Option<String>,
    /// Per-parameter errors of a 400, trailing newlines removed (`vmid` → `invalid format …`).
    pub errors: BTreeMap<String, String>,
}

/// What kind of failure an [`ApiError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiErrorKind {
    /// 400: parameter verification failed; see `errors`.
    BadRequest,
    /// 401: no or bad credentials, expired ticket/token, bad CSRF token, failed login.
    Unauthorized,
    /// 403: a permission check failed; see [`ApiError::permission`].
    Forbidden,
    /// 501: no such method or path (also a body sent with GET/DELETE).
    NotImplemented,
    /// 500: the handler died; most business errors (`CT 100 already exists…`).
    Server,
    /// 595–599: pveproxy could not reach the node the call was for.
    NodeUnreachable,
    /// Any other status.
    Other,
}

impl ApiError {
    pub fn kind(&self) -> ApiErrorKind {
        match self.status {
            400 => ApiErrorKind::BadRequest,
            401 => ApiErrorKind::Unauthorized,
            403 => ApiErrorKind::Forbidden,
            501 => ApiErrorKind::NotImplemented,
            500 => ApiErrorKind::Server,
            595..=599 => ApiErrorKind::NodeUnreachable,
            _ => ApiErrorKind::Other,
        }
    }

    /// 4xx: refused, the same request fails again. 5xx: the handler may have done part of its
    /// work (or the proxy may have forwarded it), so it may have been applied.
    pub fn retry(&self) -> Retry {
        if self.status >= 500 {
            Retry::MaybeApplied
        } else {
            Retry::No
        }
    }

    /// The best human text: the body's message, else the reason phrase.
    pub fn text(&self) -> &str {
        self.message.as_deref().unwrap_or(&self.reason)
    }

    /// For a 403 `Permission check failed (/vms/100, VM.Allocate)`: `/vms/100, VM.Allocate`.
    pub fn permission(&self) -> Option<&str> {
        if self.status != 403 {
            return None;
        }
        let text = self.text();
        let inner = text.strip_prefix("Permission check failed")?.trim();
        Some(
            inner
                .strip_prefix('(')
                .and_then(|s| s.strip_suffix(')'))
                .unwrap_or(inner),
        )
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {} {}",
            self.method,
            self.path,
            self.status,
            self.text()
        )?;
        for (param, msg) in &self.errors {
            write!(f, "; {param}: {msg}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, reason: &str, message: Option<&str>) -> ApiError {
        ApiError {
            method: Method::Post,
            path: "/nodes/pve/lxc".into(),
            status,
            reason: reason.into(),
            message: message.map(str::to_owned),
            errors: BTreeMap::new(),
        }
    }

    #[test]
    fn classification_by_status() {
        let cases = [
            (400, ApiErrorKind::BadRequest, Retry::No),
            (401, ApiErrorKind::Unauthorized, Retry::No),
            (403, ApiErrorKind::Forbidden, Retry::No),
            (500, ApiErrorKind::Server, Retry::MaybeApplied),
            (501, ApiErrorKind::NotImplemented, Retry::MaybeApplied),
            (595, ApiErrorKind::NodeUnreachable, Retry::MaybeApplied),
            (404, ApiErrorKind::Other, Retry::No),
        ];
        for (status, kind, retry) in cases {
            let e = api(status, "x", None);
            assert_eq!(e.kind(), kind, "{status}");
            assert_eq!(Error::from(e).retry(), retry, "{status}");
        }
    }

    #[test]
    fn permission_text_from_message_or_reason() {
        let with_body = api(
            403,
            "Permission check failed (/vms/100, VM.Allocate)",
            Some("Permission check failed (/vms/100, VM.Allocate)"),
        );
        assert_eq!(with_body.permission(), Some("/vms/100, VM.Allocate"));
        // Old servers: `{"data":null}`, the text is only in the status line.
        let old = api(
            403,
            "Permission check failed (changing feature flags is only allowed for root@pam)",
            None,
        );
        assert_eq!(
            old.permission(),
            Some("changing feature flags is only allowed for root@pam")
        );
        assert_eq!(api(500, "x", None).permission(), None);
    }

    #[test]
    fn display_lists_parameter_errors() {
        let mut e = api(400, "Parameter verification failed.", None);
        e.errors.insert("vmid".into(), "invalid format".into());
        assert_eq!(
            e.to_string(),
            "POST /nodes/pve/lxc: 400 Parameter verification failed.; vmid: invalid format"
        );
    }
}
