//! Reusable components, one per file.

mod confirm;
mod empty_state;
mod error_panel;
mod hydrated;
mod not_found;
mod page_header;
mod primary_nav;
#[cfg(feature = "hydrate")]
mod socket;
mod status_pill;

pub use confirm::confirmed;
pub use empty_state::EmptyState;
pub use error_panel::ErrorPanel;
pub use hydrated::Hydrated;
pub use not_found::NotFound;
pub use page_header::PageHeader;
pub use primary_nav::PrimaryNav;
#[cfg(feature = "hydrate")]
pub use socket::open_socket;
pub use status_pill::{StatusPill, Tone};
