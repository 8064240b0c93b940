//! The Containers section: the live list with its actions, and the wizard that creates a
//! container from a template.

pub mod api;
#[cfg(feature = "ssr")]
pub mod api_ssr;
mod detail;
mod list;
pub mod wizard;

#[cfg(feature = "ssr")]
pub use api_ssr::CLUSTER;
pub use detail::ContainerPage;
pub use list::ContainersPage;
pub use wizard::NewContainerPage;
