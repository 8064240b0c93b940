//! The append-only audit trail: who did what to which target, when (UTC, by the database's clock),
//! from where, with which outcome. Rows are only ever inserted: the database refuses UPDATE,
//! DELETE and TRUNCATE on `audit_log`. Never put a secret or a token in an entry.

mod query;

pub use query::{
    AuditFilter, AuditPage, EXPORT_BATCH, count, export_all, export_batch, find, list,
};

use crate::schema::audit_log;
use crate::{Connection, DbError};
use chrono::{DateTime, Utc};
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::prelude::*;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use ipnet::IpNet;
use serde::Serialize;
use std::io::Write;
use std::net::IpAddr;
use uuid::Uuid;

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow, Serialize)]
#[diesel(sql_type = Text)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    /// Attempted and failed (a wrong password, a Proxmox error).
    Failure,
    /// Refused by authorisation before anything was attempted.
    Denied,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Success, Outcome::Failure, Outcome::Denied];

    /// The stored name.
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }

    pub fn from_key(key: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.key() == key)
    }
}

impl ToSql<Text, Pg> for Outcome {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        out.write_all(self.key().as_bytes())?;
        Ok(IsNull::No)
    }
}

impl FromSql<Text, Pg> for Outcome {
    fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
        let key = std::str::from_utf8(bytes.as_bytes())?;
        Outcome::from_key(key).ok_or_else(|| format!("unknown audit outcome {key:?}").into())
    }
}

/// An entry to write. `at` and `id` are the database's.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAuditEntry {
    /// `None` for an anonymous actor (a failed sign-in of an unknown user) or the system.
    pub actor_user_id: Option<Uuid>,
    /// The actor's display name at the time (1–200 characters).
    pub actor_name: String,
    /// Lowercase, dotted: `login`, `login_failed`, `user.create`, `container.start`.
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub source_ip: Option<IpAddr>,
    pub outcome: Outcome,
    pub correlation_id: Option<String>,
    /// A JSON object (anything else is refused).
    pub details: serde_json::Value,
}

impl NewAuditEntry {
    /// An entry with no actor id, target, address, correlation id or details yet.
    pub fn new(actor_name: impl Into<String>, action: impl Into<String>, outcome: Outcome) -> Self {
        Self {
            actor_user_id: None,
            actor_name: actor_name.into(),
            action: action.into(),
            target_type: None,
            target_id: None,
            source_ip: None,
            outcome,
            correlation_id: None,
            details: serde_json::Value::Object(serde_json::Map::new()),
        }
    }

    pub fn actor(mut self, user_id: Uuid) -> Self {
        self.actor_user_id = Some(user_id);
        self
    }

    pub fn target(mut self, target_type: impl Into<String>, target_id: impl Into<String>) -> Self {
        self.target_type = Some(target_type.into());
        self.target_id = Some(target_id.into());
        self
    }

    pub fn source_ip(mut self, ip: IpAddr) -> Self {
        self.source_ip = Some(ip);
        self
    }

    pub fn correlation_id(mut self, id: impl Into<String>) -> Self {
        self.correlation_id = Some(id.into());
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

/// A written entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<Uuid>,
    pub actor_name: String,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub source_ip: Option<IpAddr>,
    pub outcome: Outcome,
    pub correlation_id: Option<String>,
    pub details: serde_json::Value,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = audit_log, check_for_backend(diesel::pg::Pg))]
struct AuditRow {
    id: i64,
    at: DateTime<Utc>,
    actor_user_id: Option<Uuid>,
    actor_name: String,
    action: String,
    target_type: Option<String>,
    target_id: Option<String>,
    source_ip: Option<IpNet>,
    outcome: Outcome,
    correlation_id: Option<String>,
    details: serde_json::Value,
}

impl From<AuditRow> for AuditEntry {
    fn from(row: AuditRow) -> Self {
        AuditEntry {
            id: row.id,
            at: row.at,
            actor_user_id: row.actor_user_id,
            actor_name: row.actor_name,
            action: row.action,
            target_type: row.target_type,
            target_id: row.target_id,
            source_ip: row.source_ip.map(|net| net.addr()),
            outcome: row.outcome,
            correlation_id: row.correlation_id,
            details: row.details,
        }
    }
}

/// Appends an entry. Pass the connection of the caller's transaction to write it atomically
/// with the change it records. A malformed field is [`DbError::Invalid`]; an actor id that is no
/// user is [`DbError::Reference`].
pub async fn insert(conn: &mut Connection, entry: &NewAuditEntry) -> Result<AuditEntry, DbError> {
    let row: AuditRow = diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_user_id.eq(entry.actor_user_id),
            audit_log::actor_name.eq(&entry.actor_name),
            audit_log::action.eq(&entry.action),
            audit_log::target_type.eq(&entry.target_type),
            audit_log::target_id.eq(&entry.target_id),
            audit_log::source_ip.eq(entry.source_ip.map(IpNet::from)),
            audit_log::outcome.eq(entry.outcome),
            audit_log::correlation_id.eq(&entry.correlation_id),
            audit_log::details.eq(&entry.details),
        ))
        .returning(AuditRow::as_returning())
        .get_result(conn)
        .await?;
    Ok(row.into())
}
