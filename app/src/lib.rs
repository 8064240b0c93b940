//! Berth's user interface: the app shell, one folder per domain, and the server functions the
//! pages call. Built twice: with `ssr` into the server, with `hydrate` into the browser's WASM.

// Leptos views are deeply nested types; the template form needs more than the default 128.
#![recursion_limit = "256"]

pub mod account;
pub mod admin;
mod app;
pub mod audit;
pub mod auth;
pub mod components;
pub mod containers;
pub mod error;
pub mod home;
pub mod jobs;
mod lazy_pages;
pub mod templates;

#[cfg(feature = "ssr")]
mod shell;
#[cfg(feature = "ssr")]
pub mod state;

pub use app::App;
pub use error::AppError;
#[cfg(feature = "ssr")]
pub use shell::{SiteAssets, content_security_policy, shell};
