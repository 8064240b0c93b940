//! The server side of the Audit page: parse the filters (each error names its field), query.

use crate::AppError;
use crate::auth::require;
use crate::state::app_state;
use berth_auth::policy::Action;
use berth_db::Page;
use berth_db::audit::{self, AuditEntry, AuditFilter, Outcome};
use berth_domain::{AuditPage, AuditQuery, AuditRow};
use chrono::{DateTime, NaiveDate, Utc};

pub const PAGE_SIZE: u32 = 50;

pub async fn list(query: AuditQuery) -> Result<AuditPage, AppError> {
    require(Action::ViewAudit)?;
    let filter = parse(&query)?;
    let page = query.page.max(1);
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    let found = audit::list(
        &mut conn,
        &filter,
        Page::new(i64::from(PAGE_SIZE), i64::from((page - 1) * PAGE_SIZE)),
    )
    .await
    .map_err(AppError::internal)?;
    Ok(AuditPage {
        rows: found.entries.into_iter().map(row).collect(),
        total: found.total,
        page,
        page_size: PAGE_SIZE,
    })
}

/// The query as a database filter; a malformed value is refused, never silently ignored.
pub fn parse(query: &AuditQuery) -> Result<AuditFilter, AppError> {
    let text = |value: &str| Some(value.trim().to_string()).filter(|v| !v.is_empty());
    let outcome =
        match text(&query.outcome) {
            Some(key) => Some(Outcome::from_key(&key).ok_or_else(|| {
                AppError::invalid("outcome", "Choose success, failure or denied.")
            })?),
            None => None,
        };
    Ok(AuditFilter {
        actor_name: text(&query.actor),
        action: text(&query.action),
        target_type: text(&query.target_type),
        target_id: text(&query.target_id),
        outcome,
        from: time(&query.from, "from")?,
        to: time(&query.to, "to")?,
        ..AuditFilter::default()
    })
}

/// RFC 3339, or a date (midnight UTC).
fn time(value: &str, field: &str) -> Result<Option<DateTime<Utc>>, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Ok(Some(at.with_timezone(&Utc)));
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|at| Some(at.and_utc()))
        .ok_or_else(|| {
            AppError::invalid(
                field,
                "Use a date such as 2026-11-25 or 2026-11-25T14:30:00Z.",
            )
        })
}

fn row(entry: AuditEntry) -> AuditRow {
    AuditRow {
        id: entry.id,
        at: entry.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        actor: entry.actor_name,
        action: entry.action,
        target: entry
            .target_type
            .map(|kind| format!("{kind}:{}", entry.target_id.unwrap_or_default())),
        source_ip: entry.source_ip.map(|ip| ip.to_string()),
        outcome: entry.outcome.key().to_string(),
        correlation_id: entry.correlation_id,
        details: entry.details.to_string(),
    }
}
