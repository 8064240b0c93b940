//! Server function of the Audit page.

use crate::AppError;
use berth_domain::{AuditPage, AuditQuery};
use leptos::prelude::*;

#[server(prefix = "/api/fn", endpoint = "audit")]
pub async fn list_audit(#[server(default)] query: AuditQuery) -> Result<AuditPage, AppError> {
    super::api_ssr::list(query)
        .await
        .map_err(AppError::with_http_status)
}
