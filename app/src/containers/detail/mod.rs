//! `/containers/:vmid`: one container — status, addresses, graphs, configuration, snapshots, and
//! the runs and actions that touched it — with the same live actions as the list.

mod api;
#[cfg(feature = "ssr")]
mod api_ssr;
mod graphs;
mod page;
mod snapshots;

pub use page::ContainerPage;
