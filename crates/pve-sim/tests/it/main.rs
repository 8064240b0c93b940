//! Integration tests of berth-pve-sim: one binary, one module per area.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod auth;
mod common;
mod envelope;
mod faults;
mod lifecycle;
mod locks;
mod mounts;
mod persistence;
mod sandbox;
mod sandbox_services;
mod sandbox_support;
mod schema_fidelity;
mod sshd;
mod tasks;
mod validation;
