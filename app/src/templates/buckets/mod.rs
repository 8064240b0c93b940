//! Package buckets: the page that lists and edits them, and the form the template form reuses.

pub mod form;
mod page;

pub use page::BucketsPage;
