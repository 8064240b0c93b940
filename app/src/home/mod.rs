//! The overview page: is Berth healthy right now?

mod api;
mod backup_card;
mod dependency_card;
mod page;

pub use api::get_readiness;
pub use page::HomePage;
