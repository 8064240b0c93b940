//! Templates as pages and the API show them.

use super::bucket::PackageBucket;
use super::spec::TemplateSpec;
use serde::{Deserialize, Serialize};

/// A catalog card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSummary {
    pub name: String,
    pub title: String,
    pub description: String,
    pub icon: String,
    pub category: String,
    pub tags: Vec<String>,
    pub os_template: String,
    /// Shipped with Berth (seeded from infra/templates), as opposed to made here.
    pub builtin: bool,
    pub version: i32,
    pub updated_at: String,
}

/// One saved version: immutable once written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateVersionInfo {
    pub version: i32,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// Display name of who saved it; empty for the built-in seed.
    pub created_by: String,
    pub note: String,
}

/// A template's current version with the buckets it installs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateDetail {
    pub spec: TemplateSpec,
    pub buckets: Vec<PackageBucket>,
    pub builtin: bool,
    pub current: TemplateVersionInfo,
    pub versions: Vec<TemplateVersionInfo>,
}

/// One line of a diff between two versions' YAML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffLine {
    Same(String),
    Added(String),
    Removed(String),
}
