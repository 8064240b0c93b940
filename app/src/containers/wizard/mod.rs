//! Creating a container from a template: the wizard's server function and what it checks.

pub mod api;
#[cfg(feature = "ssr")]
mod api_ssr;
#[cfg(feature = "ssr")]
pub mod checks_ssr;
#[cfg(feature = "ssr")]
mod secrets_ssr;
