//! berth-server as a library, so integration tests build the same router the binary serves.

// Leptos views are deeply nested types; the template form needs more than the default 128.
#![recursion_limit = "256"]

/// Rendering a page allocates and frees thousands of small strings and view nodes. glibc's
/// allocator spent a third to a half of the server's time under load (arena locks, consolidation);
/// jemalloc's thread caches do not (its settings: `.cargo/config.toml`). Declared in the library so the binary, its tests and
/// its benchmarks all run on the allocator that ships.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

pub mod api;
pub mod api_v1;
pub mod audit_export;
pub mod auth;
pub mod backup_download;
pub mod cli;
pub mod commands;
pub mod config;
pub mod containers_ws;
pub mod jobs;
pub mod metrics;
pub mod oidc;
pub mod page_cache;
pub mod proxmox;
pub mod router;
pub mod run_follow;
pub mod security;
pub mod serve;
pub mod server_fn_status;
pub mod site;
pub mod startup;
pub mod template_export;
pub mod ws;
