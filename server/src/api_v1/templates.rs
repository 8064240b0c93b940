//! The template catalog on the REST API: list and read (any role), export as the YAML file
//! (any role), import one (admin). Changes are audited like the UI's.
//!
//! - `GET /api/v1/templates?search=&category=&tag=`
//! - `GET /api/v1/templates/{name}` — the current version, its buckets and the history
//! - `GET /api/v1/templates/{name}/export[?version=N]` — `application/yaml`
//! - `POST /api/v1/templates/import` — body: the YAML file; 201 new, 200 new version, 422 with
//!   every problem and its path in the file
//! - `GET /api/v1/buckets`

use super::{ApiError, TokenCaller};
use crate::auth::AuthServices;
use axum::Json;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use berth_auth::policy::Action;
use berth_catalog::ImportError;
use berth_db::audit::{NewAuditEntry, Outcome};
use berth_db::catalog::{Author, CatalogError, TemplateFilter, buckets, templates};
use berth_domain::template::{BucketSummary, TemplateDetail, TemplateSummary};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    search: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    tag: String,
}

#[derive(Debug, Serialize)]
pub struct TemplateList {
    pub templates: Vec<TemplateSummary>,
}

pub async fn list(
    State(auth): State<AuthServices>,
    caller: TokenCaller,
    Query(query): Query<ListQuery>,
) -> Result<Json<TemplateList>, ApiError> {
    caller.require(Action::ViewTemplates)?;
    let mut conn = auth.db.get().await.map_err(ApiError::internal)?;
    let filter = TemplateFilter {
        search: query.search,
        category: query.category,
        tag: query.tag,
    };
    let templates = templates::list(&mut conn, &filter)
        .await
        .map_err(catalog_error)?;
    Ok(Json(TemplateList { templates }))
}

pub async fn detail(
    State(auth): State<AuthServices>,
    caller: TokenCaller,
    Path(name): Path<String>,
) -> Result<Json<TemplateDetail>, ApiError> {
    caller.require(Action::ViewTemplates)?;
    let mut conn = auth.db.get().await.map_err(ApiError::internal)?;
    Ok(Json(
        templates::detail(&mut conn, &name)
            .await
            .map_err(catalog_error)?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    version: Option<String>,
}

pub async fn export(
    State(auth): State<AuthServices>,
    caller: TokenCaller,
    Path(name): Path<String>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    caller.require(Action::ViewTemplates)?;
    let version = match query.version.as_deref() {
        None | Some("") => None,
        Some(v) => Some(v.parse::<i32>().ok().filter(|v| *v >= 1).ok_or_else(|| {
            ApiError::bad_request(format!("version: {v:?} is not a version number"))
        })?),
    };
    let mut conn = auth.db.get().await.map_err(ApiError::internal)?;
    let yaml = berth_catalog::export(&mut conn, &name, version)
        .await
        .map_err(catalog_error)?;
    Ok(yaml_download(&name, yaml))
}

/// The file as a download named after the template.
pub fn yaml_download(name: &str, yaml: String) -> Response {
    let mut response = yaml.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/yaml; charset=utf-8"),
    );
    // The name is a slug (letters, digits, '-'), safe inside the quoted filename.
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.yaml\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

#[derive(Debug, Serialize)]
pub struct ImportAnswer {
    pub name: String,
    pub version: i32,
    pub created: bool,
    pub created_buckets: Vec<String>,
}

pub async fn import(
    State(auth): State<AuthServices>,
    caller: TokenCaller,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: String,
) -> Result<Response, ApiError> {
    caller.require(Action::ManageTemplates)?;
    let author = Author {
        user_id: Some(caller.principal.user_id),
        name: &caller.display_name,
    };
    let entry = NewAuditEntry::new(&caller.display_name, "template.import", Outcome::Success)
        .actor(caller.principal.user_id)
        .source_ip(peer.ip())
        .details(serde_json::json!({ "via": "api_token" }));
    let mut conn = auth.db.get().await.map_err(ApiError::internal)?;
    match berth_catalog::import(&mut conn, &body, author, &entry).await {
        Ok(imported) => {
            let status = if imported.created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            let answer = ImportAnswer {
                name: imported.name,
                version: imported.version,
                created: imported.created,
                created_buckets: imported.created_buckets,
            };
            Ok((status, Json(answer)).into_response())
        }
        Err(ImportError::Invalid(problems)) => Err(ApiError::Invalid(problems)),
        Err(ImportError::Catalog(e)) => Err(catalog_error(e)),
    }
}

#[derive(Debug, Serialize)]
pub struct BucketList {
    pub buckets: Vec<BucketSummary>,
}

pub async fn bucket_list(
    State(auth): State<AuthServices>,
    caller: TokenCaller,
) -> Result<Json<BucketList>, ApiError> {
    caller.require(Action::ViewBuckets)?;
    let mut conn = auth.db.get().await.map_err(ApiError::internal)?;
    let buckets = buckets::list(&mut conn).await.map_err(catalog_error)?;
    Ok(Json(BucketList { buckets }))
}

fn catalog_error(error: CatalogError) -> ApiError {
    match error {
        CatalogError::NotFound => ApiError::NotFoundWhat("No such template.".into()),
        CatalogError::Invalid(problems) => ApiError::Invalid(problems),
        other => ApiError::internal(other),
    }
}
