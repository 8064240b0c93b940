//! The Audit section: who did what, when, from where (admins only).

mod api;
#[cfg(feature = "ssr")]
mod api_ssr;
mod filters;
mod page;
mod table;

pub use api::list_audit;
pub use page::AuditPage;
