//! The Admin section.

mod page;

pub use page::AdminPage;
