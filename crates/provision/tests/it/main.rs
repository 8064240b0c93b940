//! The pipeline against real Postgres (`BERTH_TEST_DATABASE_URL`), real Redis
//! (`BERTH_TEST_REDIS_URL`, default the local one) and the Proxmox simulator in-process with
//! fast simulated time. Every test has its own database, key prefix and simulator.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod failures;
mod provision;
mod resume;
mod runner;
mod site_env;
mod ssh_stages;
mod ssh_support;
mod support;
