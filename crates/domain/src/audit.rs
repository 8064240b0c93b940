//! The audit trail as the UI shows it and filters it.

use serde::{Deserialize, Serialize};

/// One entry, ready to display (times RFC 3339 UTC).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    /// `type:id`, when the action had a target.
    pub target: Option<String>,
    pub source_ip: Option<String>,
    /// `success`, `failure` or `denied`.
    pub outcome: String,
    pub correlation_id: Option<String>,
    /// The details object as compact JSON.
    pub details: String,
}

/// The filters of the Audit page, as they appear in its URL. Empty strings mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub actor: String,
    /// An exact action, or a prefix written `container.*`.
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub target_type: String,
    #[serde(default)]
    pub target_id: String,
    #[serde(default)]
    pub outcome: String,
    /// RFC 3339 or `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    pub from: String,
    /// RFC 3339 or `YYYY-MM-DD`, exclusive.
    #[serde(default)]
    pub to: String,
    /// 1-based.
    #[serde(default)]
    pub page: u32,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub total: i64,
    pub page: u32,
    pub page_size: u32,
}

impl AuditPage {
    pub fn pages(&self) -> u32 {
        let size = i64::from(self.page_size.max(1));
        u32::try_from((self.total + size - 1) / size)
            .unwrap_or(u32::MAX)
            .max(1)
    }
}
