//! What a worker holds while it works on a job.

use std::time::SystemTime;
use uuid::Uuid;

/// The right to work on one job until `expires_at`, proven by a random token. Every operation
/// on the lease checks the token, so a worker whose lease was reaped and handed to another
/// cannot renew or settle it any more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// The job id: the run id in Postgres.
    pub id: Uuid,
    pub token: Uuid,
    /// How many times the job was leased, this lease included (1 for the first).
    pub attempt: u32,
    /// How many of those leases expired without being settled: their workers died.
    pub lost: u32,
    pub expires_at: SystemTime,
    /// A cancel was requested before the job was leased: it should stop straight away.
    pub cancel_requested: bool,
}

/// The answer to a heartbeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Renewal {
    pub expires_at: SystemTime,
    /// Someone asked for the job to stop (see [`crate::Queue::request_cancel`]).
    pub cancel_requested: bool,
}

/// Where a live job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    Ready,
    Delayed,
    Leased,
}

impl JobState {
    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "ready" => Some(Self::Ready),
            "delayed" => Some(Self::Delayed),
            "leased" => Some(Self::Leased),
            _ => None,
        }
    }
}
