//! Server functions of the template catalog and the package buckets. Reading needs a viewer;
//! every change needs an admin, is validated by berth-domain's rules (the same the form runs)
//! and is audited in the transaction that makes it.

use crate::AppError;
use berth_domain::template::{
    BucketSummary, DiffLine, PackageBucket, TemplateDetail, TemplateSpec, TemplateSummary,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// The catalog page's data: the cards, what can be filtered on, and whether to offer editing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    pub templates: Vec<TemplateSummary>,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub can_manage: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplatePage {
    pub detail: TemplateDetail,
    pub can_manage: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub name: String,
    pub version: i32,
    pub created: bool,
    pub created_buckets: Vec<String>,
}

#[server(prefix = "/api/fn", endpoint = "templates/catalog")]
pub async fn template_catalog(
    search: String,
    category: String,
    tag: String,
) -> Result<Catalog, AppError> {
    ssr::catalog(search, category, tag)
        .await
        .map_err(AppError::with_http_status)
}

#[server(prefix = "/api/fn", endpoint = "templates/get")]
pub async fn get_template(name: String) -> Result<TemplatePage, AppError> {
    ssr::get(name).await.map_err(AppError::with_http_status)
}

/// Saves a new template (`base_version` empty) or a new version of one that is still at
/// `base_version`; returns the saved version.
#[server(prefix = "/api/fn", endpoint = "templates/save", input = Json)]
pub async fn save_template(
    spec: TemplateSpec,
    base_version: Option<i32>,
    note: String,
) -> Result<i32, AppError> {
    ssr::save(spec, base_version, note)
        .await
        .map_err(AppError::with_http_status)
}

#[server(prefix = "/api/fn", endpoint = "templates/delete")]
pub async fn delete_template(name: String) -> Result<(), AppError> {
    ssr::delete(name).await.map_err(AppError::with_http_status)
}

#[server(prefix = "/api/fn", endpoint = "templates/diff")]
pub async fn template_diff(name: String, from: i32, to: i32) -> Result<Vec<DiffLine>, AppError> {
    ssr::diff(name, from, to)
        .await
        .map_err(AppError::with_http_status)
}

#[server(prefix = "/api/fn", endpoint = "templates/import")]
pub async fn import_template(yaml: String) -> Result<ImportOutcome, AppError> {
    ssr::import(yaml).await.map_err(AppError::with_http_status)
}

#[server(prefix = "/api/fn", endpoint = "buckets/list")]
pub async fn list_buckets() -> Result<Vec<BucketSummary>, AppError> {
    super::buckets_ssr::list()
        .await
        .map_err(AppError::with_http_status)
}

/// Creates the bucket (`existing` false) or replaces its content.
#[server(prefix = "/api/fn", endpoint = "buckets/save", input = Json)]
pub async fn save_bucket(bucket: PackageBucket, existing: bool) -> Result<Vec<String>, AppError> {
    super::buckets_ssr::save(bucket, existing)
        .await
        .map_err(AppError::with_http_status)
}

#[server(prefix = "/api/fn", endpoint = "buckets/delete")]
pub async fn delete_bucket(name: String) -> Result<(), AppError> {
    super::buckets_ssr::delete(name)
        .await
        .map_err(AppError::with_http_status)
}

#[cfg(feature = "ssr")]
use super::api_ssr as ssr;
