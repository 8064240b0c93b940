//! How a handler says what became of a job.

use std::time::Duration;

/// Whether an error may go away by trying again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// Timeouts, connection errors, Proxmox lock timeouts, 5xx: worth another attempt.
    Retryable,
    /// Invalid input, missing permission, a failing user script: retrying changes nothing.
    Terminal,
}

/// Errors that know their [`ErrorClass`], so a handler can turn any of them into an outcome.
pub trait Classify {
    fn class(&self) -> ErrorClass;
}

/// What the runner does with the job after the handler returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobOutcome {
    /// Finished: the job leaves the queue.
    Done,
    /// Try again after `after`, or after the runner's back-off when `None`. Once the attempts
    /// are used up the job fails instead (see [`crate::Handler::exhausted`]).
    Retry { after: Option<Duration> },
    /// Failed for good (the handler recorded why): the job leaves the queue.
    Fail,
}

impl JobOutcome {
    /// Retry after the runner's back-off.
    pub const RETRY: Self = Self::Retry { after: None };

    /// The outcome of an attempt that ended with `error`.
    pub fn from_error(error: &impl Classify) -> Self {
        error.class().into()
    }
}

impl From<ErrorClass> for JobOutcome {
    fn from(class: ErrorClass) -> Self {
        match class {
            ErrorClass::Retryable => Self::RETRY,
            ErrorClass::Terminal => Self::Fail,
        }
    }
}
