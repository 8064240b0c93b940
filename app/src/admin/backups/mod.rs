//! Admin → Backups: Berth's own database backups (`BERTH_BACKUP_DIR`), listed with their checksum
//! checked, downloadable, and "back up now".

mod api;
#[cfg(feature = "ssr")]
mod api_ssr;
mod panel;

pub use api::{BackUpNow, BackupEntry, BackupPlan, BackupsOverview, back_up_now, list_backups};
pub use panel::BackupsPanel;
