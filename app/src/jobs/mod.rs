//! The Jobs section: every provisioning run, and one run's progress stage by stage.

pub mod api;
#[cfg(feature = "ssr")]
mod api_ssr;
mod apps;
#[cfg(feature = "ssr")]
mod apps_ssr;
mod follow;
mod page;
mod progress;
mod recovery;
#[cfg(feature = "ssr")]
mod recovery_ssr;
mod run_log;
mod stage_list;
pub mod stages;

pub use page::{JobsPage, RunStatePill};
pub use progress::RunPage;
