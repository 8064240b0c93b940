//! Integration tests of berth-pve against a local HTTPS server answering with real PVE
//! response shapes, against the in-process simulator (crates/pve-sim), plus the
//! schema-fidelity check against the real API dumps.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod auth;
mod backend;
mod certs;
mod contract;
mod errors;
mod fixtures;
mod limits;
mod requests;
mod schema;
mod schema_values;
mod server;
mod sim;
mod sim_auth;
mod sim_faults;
mod sim_lifecycle;
mod sim_semantics;
mod sim_storage_tasks;
mod tasks;
mod tls;
