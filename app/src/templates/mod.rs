//! The Templates section: the catalog, one template with its history, the sectioned form,
//! import, and the package buckets.

pub mod api;
#[cfg(feature = "ssr")]
pub(crate) mod api_ssr;
pub mod buckets;
#[cfg(feature = "ssr")]
mod buckets_ssr;
pub(crate) mod card;
mod catalog;
mod detail;
mod editor;
pub mod form;
mod history;
mod import;
mod summary;

pub use buckets::BucketsPage;
pub use catalog::TemplatesPage;
pub use detail::TemplateDetailPage;
pub use editor::{EditTemplatePage, NewTemplatePage};
pub use import::ImportTemplatePage;
