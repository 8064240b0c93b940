//! Integration tests of the database layer against a real PostgreSQL (one database per test).

// A test binary: panicking on a broken precondition is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod migrations;
mod workers;
