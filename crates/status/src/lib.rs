//! Live container status without hammering Proxmox: one [`Poller`] per cluster (elected through
//! a Redis slot, so any number of server replicas may run one) reads `/cluster/resources` every
//! few seconds, backing off while Proxmox fails, writes the snapshot to Redis and publishes the
//! rows that changed. Pages render from the snapshot ([`read_snapshot`]); browsers follow the
//! deltas. Proxmox sees the same load with one browser or a thousand.

mod cache;
mod poller;
mod rows;

pub use cache::{read_snapshot, snapshot_key};
pub use poller::{Poller, PollerConfig, PollerStats};
pub use rows::container_rows;
