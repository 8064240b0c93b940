//! Integration tests of berth-server against real PostgreSQL and Redis.

// A test binary: panicking on a broken precondition is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod account;
mod account_password;
mod admin_sessions;
mod admin_users;
mod api_v1;
mod api_v1_actions;
mod api_v1_audit;
mod api_v1_containers;
mod api_v1_follow;
mod api_v1_openapi;
mod api_v1_runs;
mod api_v1_templates;
mod api_v1_throttle;
mod audit_page;
mod auth;
mod authorization;
mod backup;
mod backup_admin;
mod binary;
mod commands;
mod container_actions;
mod create_container;
mod health;
mod malformed;
mod metrics;
mod oidc;
mod oidc_app;
mod oidc_idp;
mod page_cache;
mod pages;
mod proxmox;
mod run_recovery;
mod run_websocket;
mod security;
mod support;
