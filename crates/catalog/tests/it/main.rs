//! The catalog crate against real files and a real Postgres.

// A test binary: panicking on a broken precondition is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod builtin;
mod document;
mod import;
