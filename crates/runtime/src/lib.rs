//! What `berth-server` and `berth-worker` share: configuration, secrets, telemetry, shutdown and
//! the back-off used when a dependency is not reachable yet.

pub mod backoff;
pub mod config;
pub mod connections;
pub mod pg_tools;
pub mod process;
pub mod proxmox;
pub mod redis;
pub mod secret;
pub mod shutdown;
pub mod telemetry;

pub use secret::Secret;
