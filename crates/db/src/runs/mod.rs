//! Provisioning runs: created (with their audit entry) by the server, claimed and advanced by a
//! worker that holds the job's lease, listed and followed by the UI.
//!
//! Every write a worker makes carries its claim token. A worker whose lease was taken over (it
//! stalled, Redis forgot the job and the reconciler re-enqueued it) gets [`RunError::ClaimLost`]
//! and stops: two workers never both advance a run.

mod events;
mod query;
mod write;

pub use events::{append_event, events_after};
pub use query::{RunFilter, RunRecord, count_by_state, get, list, unfinished_ids};
pub use write::{
    CancelOutcome, NewRun, claim, create, finish, release, request_cancel, retry, save_checkpoint,
};

use crate::DbError;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("not found")]
    NotFound,
    /// The run's template version does not exist (any more).
    #[error("template {name} has no version {version}")]
    NoSuchTemplateVersion { name: String, version: i32 },
    /// Another unfinished run holds this VMID.
    #[error("VMID {0} is reserved by another run")]
    VmidTaken(i32),
    /// The caller's claim is not the run's claim any more (or the run is not running).
    #[error("the run is no longer claimed by this worker")]
    ClaimLost,
    /// The run is not in a state that allows this (e.g. retrying a run that succeeded).
    #[error("the run is {0}")]
    WrongState(String),
    /// Stored JSON that no longer reads as the domain type.
    #[error("stored content cannot be read: {0}")]
    Corrupt(String),
}

impl From<diesel::result::Error> for RunError {
    fn from(error: diesel::result::Error) -> Self {
        RunError::Db(error.into())
    }
}

/// The partial unique index that keeps VMIDs of unfinished runs apart.
pub const VMID_RESERVED: &str = "runs_vmid_reserved";
