//! berth-worker as a library, so integration tests drive the same code the binary runs.

pub mod cli;
pub mod config;
pub mod heartbeat;
pub mod jobs;
pub mod run;
pub mod ssh_config;
