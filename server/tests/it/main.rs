//! Integration tests of berth-server against real PostgreSQL and Redis.

// A test binary: panicking on a broken precondition is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admin_users;
mod audit_page;
mod auth;
mod binary;
mod commands;
mod health;
mod pages;
mod proxmox;
mod security;
mod support;
