//! Reading the audit trail: filtered pages for the Audit page and keyset batches for export.

use super::{AuditEntry, AuditRow, Outcome};
use crate::page::Page;
use crate::schema::audit_log;
use crate::{Connection, DbError};
use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// The rows one export batch reads.
pub const EXPORT_BATCH: i64 = 1000;

/// Which entries to read; every field that is set must match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    pub actor_user_id: Option<Uuid>,
    /// A case-insensitive substring of the actor's name.
    pub actor_name: Option<String>,
    /// An exact action, or a prefix written `container.*`.
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub outcome: Option<Outcome>,
    pub correlation_id: Option<String>,
    /// Inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub to: Option<DateTime<Utc>>,
}

/// One page, newest first, and how many entries match in all.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub total: i64,
}

fn filtered(filter: &AuditFilter) -> audit_log::BoxedQuery<'static, Pg> {
    let mut query = audit_log::table.into_boxed();
    if let Some(id) = filter.actor_user_id {
        query = query.filter(audit_log::actor_user_id.eq(id));
    }
    if let Some(name) = &filter.actor_name {
        query = query.filter(audit_log::actor_name.ilike(format!("%{}%", escape_like(name))));
    }
    if let Some(action) = &filter.action {
        query = match action.strip_suffix(".*") {
            Some(prefix) => {
                query.filter(audit_log::action.like(format!("{}.%", escape_like(prefix))))
            }
            None => query.filter(audit_log::action.eq(action.clone())),
        };
    }
    if let Some(target_type) = &filter.target_type {
        query = query.filter(audit_log::target_type.eq(target_type.clone()));
    }
    if let Some(target_id) = &filter.target_id {
        query = query.filter(audit_log::target_id.eq(target_id.clone()));
    }
    if let Some(outcome) = filter.outcome {
        query = query.filter(audit_log::outcome.eq(outcome));
    }
    if let Some(correlation_id) = &filter.correlation_id {
        query = query.filter(audit_log::correlation_id.eq(correlation_id.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_log::at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(audit_log::at.lt(to));
    }
    query
}

/// `LIKE` treats `%`, `_` and `\` specially: match them literally.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// One page of matching entries, newest first, with the total count.
pub async fn list(
    conn: &mut Connection,
    filter: &AuditFilter,
    page: Page,
) -> Result<AuditPage, DbError> {
    let rows: Vec<AuditRow> = filtered(filter)
        .order(audit_log::id.desc())
        .limit(page.limit())
        .offset(page.offset())
        .select(AuditRow::as_select())
        .load(conn)
        .await?;
    let total = count(conn, filter).await?;
    Ok(AuditPage {
        entries: rows.into_iter().map(AuditEntry::from).collect(),
        total,
    })
}

pub async fn count(conn: &mut Connection, filter: &AuditFilter) -> Result<i64, DbError> {
    Ok(filtered(filter).count().get_result(conn).await?)
}

pub async fn find(conn: &mut Connection, id: i64) -> Result<Option<AuditEntry>, DbError> {
    let row: Option<AuditRow> = audit_log::table
        .find(id)
        .select(AuditRow::as_select())
        .first(conn)
        .await
        .optional()?;
    Ok(row.map(AuditEntry::from))
}

/// Up to `limit` matching entries with an id above `after_id`, oldest first: pass the last id of
/// one batch to get the next, until a batch comes back empty. Stable while entries are appended.
pub async fn export_batch(
    conn: &mut Connection,
    filter: &AuditFilter,
    after_id: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEntry>, DbError> {
    let mut query = filtered(filter);
    if let Some(after_id) = after_id {
        query = query.filter(audit_log::id.gt(after_id));
    }
    let rows: Vec<AuditRow> = query
        .order(audit_log::id.asc())
        .limit(limit.clamp(1, Page::MAX_LIMIT * 10))
        .select(AuditRow::as_select())
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(AuditEntry::from).collect())
}

/// Every matching entry, oldest first, read in batches of [`EXPORT_BATCH`]. Only entries that
/// exist when the export starts are returned, even while others are being appended.
pub async fn export_all(
    conn: &mut Connection,
    filter: &AuditFilter,
) -> Result<Vec<AuditEntry>, DbError> {
    let last: Option<i64> = filtered(filter)
        .select(diesel::dsl::max(audit_log::id))
        .get_result(conn)
        .await?;
    let Some(last) = last else {
        return Ok(Vec::new());
    };
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let batch = export_batch(conn, filter, after, EXPORT_BATCH).await?;
        let Some(tail) = batch.last().map(|entry| entry.id) else {
            break;
        };
        let done = tail >= last;
        all.extend(batch.into_iter().filter(|entry| entry.id <= last));
        if done {
            break;
        }
        after = Some(tail);
    }
    Ok(all)
}
