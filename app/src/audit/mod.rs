//! The Audit section.

mod page;

pub use page::AuditPage;
