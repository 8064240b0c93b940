//! The Containers section.

mod page;

pub use page::ContainersPage;
