//! Package buckets and templates with their immutable versions. Every write validates with
//! berth-domain's rules first and records its audit entry in the same transaction.

pub mod buckets;
mod error;
pub mod templates;
mod versions;

pub use error::CatalogError;
pub use templates::TemplateFilter;

use uuid::Uuid;

/// Who saves a version: a user, or Berth itself (the built-in seed).
#[derive(Debug, Clone, Copy)]
pub struct Author<'a> {
    pub user_id: Option<Uuid>,
    pub name: &'a str,
}

impl Author<'static> {
    pub const BUILTIN: Author<'static> = Author {
        user_id: None,
        name: "",
    };
}
