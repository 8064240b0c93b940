//! What can go wrong talking to the queue.

use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("redis: {0}")]
    Redis(#[from] fred::error::Error),
    /// The lease's token no longer holds the job: it expired and was reaped (and maybe leased
    /// again), or it was already settled. Whoever holds this lease must stop working on the job.
    #[error("the lease on job {0} was lost")]
    LeaseLost(Uuid),
    /// A slot this holder had on a node expired before it was renewed.
    #[error("the slot of {holder} on node {node} was lost")]
    SlotLost { node: String, holder: String },
    /// Redis answered a script with something the protocol never returns.
    #[error("unexpected reply from redis: {0}")]
    Protocol(String),
    #[error("invalid argument: {0}")]
    Invalid(&'static str),
}

pub type Result<T, E = QueueError> = std::result::Result<T, E>;
