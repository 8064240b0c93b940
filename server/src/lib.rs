//! berth-server as a library, so integration tests build the same router the binary serves.

pub mod api;
pub mod api_v1;
pub mod audit_export;
pub mod auth;
pub mod cli;
pub mod commands;
pub mod config;
pub mod oidc;
pub mod proxmox;
pub mod router;
pub mod security;
pub mod serve;
pub mod site;
pub mod startup;
