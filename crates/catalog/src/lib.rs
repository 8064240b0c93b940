//! The template catalog beyond the database rows: the single-file YAML form of a template (with
//! the buckets it installs), import and export, line diffs between versions, and the built-in
//! templates shipped in `infra/templates/` and seeded on first start.

pub mod builtin;
pub mod diff;
pub mod document;
pub mod import;
mod patterns;

pub use diff::diff_lines;
pub use document::{FORMAT, TemplateDocument};
pub use import::{ImportError, export, import};
pub use patterns::{check_input_values, check_patterns};
