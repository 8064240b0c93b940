//! Berth's job queue on Redis.
//!
//! Postgres holds every run and how far it got; Redis carries only run ids through a small
//! protocol of atomic Lua scripts: [`Queue::enqueue`] (idempotent), [`Queue::lease`] with a
//! token and a ttl, [`Queue::renew`] as the heartbeat, then [`Queue::ack`], [`Queue::retry`]
//! (delayed), [`Queue::fail`] or [`Queue::release`]. Leases that expire come back through
//! [`Queue::reap_stalled`]. [`Runner`] drives a [`Handler`] over all of it. [`NodeSlots`]
//! limits creations per Proxmox node across workers; [`Events`] carries live progress.
//! See the README for keys and guarantees.

mod backoff;
mod connection;
mod error;
mod events;
mod hub;
mod keys;
mod lease;
mod outcome;
mod queue;
mod runner;
mod scripts;
mod slots;
mod waiter;

pub use backoff::{backoff, backoff_ceiling, backoff_with};
pub use error::{QueueError, Result};
pub use events::{Events, Message, Received, Subscription};
pub use keys::DEFAULT_PREFIX;
pub use lease::{JobState, Lease, Renewal};
pub use outcome::{Classify, ErrorClass, JobOutcome};
pub use queue::{Queue, QueueDepth};
pub use runner::handler::{CancelReason, Handler, HandlerFn, JobContext, handler_fn};
pub use runner::{Runner, RunnerConfig};
pub use slots::{NodeSlots, SlotGuard};
pub use tokio_util::sync::CancellationToken;
pub use waiter::Waiter;
