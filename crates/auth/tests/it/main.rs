//! Integration tests of the Redis-backed parts (sessions, sign-in and API-token throttling)
//! against a real Redis from `BERTH_TEST_REDIS_URL`; every test uses its own key prefix.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod session;
mod session_expiry;
mod support;
mod throttle;
mod token_throttle;
