//! What the server hands to every page render and server function (through Leptos context).

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub probe: berth_health::Probe,
    /// When this process started (for uptime).
    pub started_at: std::time::Instant,
    /// The berth-jobs queue runs are enqueued on (workers lease from the same prefix).
    pub queue: berth_jobs::Queue,
    /// The queue of container actions (power, destroy, snapshots), beside the runs queue.
    pub actions: berth_jobs::Queue,
    /// `BERTH_REDIS_KEY_PREFIX` (e.g. `berth:`): where the status poller's snapshot is.
    pub key_prefix: String,
    /// The configured Proxmox VE cluster, if any: the wizard checks VMIDs and room with it.
    pub pve: Option<berth_pve::PveClient>,
    /// Scheduled backups (`BERTH_BACKUP_DIR`), if on: the admin page lists and takes them.
    pub backups: Option<berth_backup::Backups>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// The database pool (the one readiness checks).
    pub fn db(&self) -> &berth_db::Pool {
        &self.probe.db
    }

    /// Every dependency checked now, with how the backups stand beside them.
    pub async fn readiness(&self) -> berth_domain::Readiness {
        let mut readiness = self.probe.check().await;
        readiness.backup = self
            .backups
            .as_ref()
            .map(|backups| backups.status(chrono::Utc::now()));
        readiness
    }
}

/// The state inside a server function; a missing state is a wiring bug, reported, not a panic.
pub fn app_state() -> Result<AppState, crate::AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| crate::AppError::internal("AppState is not in the Leptos context"))
}
