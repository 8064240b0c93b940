//! The Jobs section: every provisioning run, and one run's progress stage by stage.

pub mod api;
#[cfg(feature = "ssr")]
mod api_ssr;
mod page;
pub mod stages;

pub use page::JobsPage;
