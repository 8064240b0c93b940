//! Integration tests against a real Redis (`BERTH_TEST_REDIS_URL`, default the local one);
//! every test has its own key prefix, so they run in parallel on one server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod events;
mod queue;
mod runner;
mod slots;
mod stopping;
mod support;
