//! Integration tests of the database layer against a real PostgreSQL (one database per test).

// A test binary: panicking on a broken precondition is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_tokens;
mod audit;
mod audit_export;
mod audit_filters;
mod catalog;
mod catalog_buckets;
mod catalog_support;
mod identities;
mod migrations;
mod run_events;
mod runs;
mod transactions;
mod users;
mod workers;
