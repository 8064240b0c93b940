//! Day-to-day container actions, carried out by the worker: start, shut down, stop, reboot,
//! destroy, and snapshots (take, roll back, delete). The server records an action and enqueues
//! its id on the actions queue; [`ActionRunner`] leases it, claims the row, looks at Proxmox
//! before acting (so a retry after a crash does not act twice), saves the task's UPID before
//! waiting on it, and settles the row. Every change of state is published on the cluster's
//! containers channel, so the containers page shows it as it happens.

mod perform;
mod runner;

pub use runner::{ActionRunner, queue_prefix};
