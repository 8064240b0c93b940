//! The Templates section.

mod page;

pub use page::TemplatesPage;
