//! The Jobs section.

mod page;

pub use page::JobsPage;
