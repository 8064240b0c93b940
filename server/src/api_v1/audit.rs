//! `GET /api/v1/audit` (admin): one page of the audit trail as JSON, or every matching entry as a
//! CSV or JSON download. Query parameters: see [`super::audit_params`].

use super::audit_params::{self, Export};
use super::{ApiError, TokenCaller, csv};
use crate::auth::AuthServices;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use berth_auth::policy::Action;
use berth_db::audit::{self, AuditEntry};
use serde::Serialize;

/// The paged answer (and, without `limit`/`offset`, the JSON export).
#[derive(Debug, Serialize)]
pub struct AuditList {
    pub entries: Vec<AuditEntry>,
    /// How many entries match the filters in all.
    pub total: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
}

pub async fn audit(
    State(auth): State<AuthServices>,
    caller: TokenCaller,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    caller.require(Action::ViewAudit)?;
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    answer(&auth, query.as_deref(), accept).await
}

/// The answer for an already authorised caller: shared by this route and the Audit page's
/// download link (`/audit/export`, signed in by session).
pub async fn answer(
    auth: &AuthServices,
    query: Option<&str>,
    accept: Option<&str>,
) -> Result<Response, ApiError> {
    let query = audit_params::parse(query, accept)?;
    let mut conn = auth.db.get().await.map_err(ApiError::internal)?;
    let Some(export) = query.export else {
        let page = audit::list(&mut conn, &query.filter, query.page)
            .await
            .map_err(ApiError::internal)?;
        return Ok(Json(AuditList {
            entries: page.entries,
            total: page.total,
            limit: Some(query.page.limit()),
            offset: Some(query.page.offset()),
        })
        .into_response());
    };
    // Oldest first, only what existed when the export started.
    let entries = audit::export_all(&mut conn, &query.filter)
        .await
        .map_err(ApiError::internal)?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let (body, content_type, extension) = match export {
        Export::Csv => (csv::render(&entries), "text/csv; charset=utf-8", "csv"),
        Export::Json => {
            let total = i64::try_from(entries.len()).unwrap_or(i64::MAX);
            let list = AuditList {
                entries,
                total,
                limit: None,
                offset: None,
            };
            let body = serde_json::to_string(&list).map_err(ApiError::internal)?;
            (body, "application/json", "json")
        }
    };
    let disposition = format!("attachment; filename=\"berth-audit-{stamp}.{extension}\"");
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
