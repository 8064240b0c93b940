//! Server functions of Admin → Backups. Both require `ManageSettings` (admins).

use crate::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The backups folder as the admin page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupsOverview {
    /// `None`: backups are off (no `BERTH_BACKUP_DIR`).
    pub plan: Option<BackupPlan>,
    /// Newest first.
    pub backups: Vec<BackupEntry>,
    /// The last attempt that failed since the newest backup: when (RFC 3339) and why.
    pub last_failure: Option<(String, String)>,
}

/// Where and how often backups are written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupPlan {
    pub dir: String,
    pub every_hours: u64,
    pub keep: usize,
    /// RFC 3339.
    pub next_due: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupEntry {
    /// The dump's file name; downloads are at `/admin/backups/<name>`.
    pub name: String,
    /// RFC 3339.
    pub created_at: String,
    pub bytes: u64,
    pub schema_version: String,
    pub berth_version: String,
    /// The dump still matches its manifest's size and SHA-256.
    pub intact: bool,
}

#[server(prefix = "/api/fn", endpoint = "admin/backups")]
pub async fn list_backups() -> Result<BackupsOverview, AppError> {
    ssr::overview().await.map_err(AppError::with_http_status)
}

/// Writes a backup now (and prunes beyond `BERTH_BACKUP_KEEP`), as the schedule would.
#[server(prefix = "/api/fn", endpoint = "admin/backups/create")]
pub async fn back_up_now() -> Result<BackupEntry, AppError> {
    ssr::take_now().await.map_err(AppError::with_http_status)
}

#[cfg(feature = "ssr")]
use super::api_ssr as ssr;
