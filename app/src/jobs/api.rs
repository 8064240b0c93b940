//! Server functions of provisioning runs: the Jobs list, one run with its stages, its events
//! after a sequence number (replay, then follow), and cancelling it.

use super::stages::StageStatus;
use crate::AppError;
use berth_domain::container::{ActionView, ContainerRow};
use berth_domain::run::{RunSummary, SequencedEvent};
use berth_domain::template::AppAccess;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One run as the progress page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunView {
    pub summary: RunSummary,
    /// Every stage of the pipeline, in order, with what the run's events say about it.
    pub stages: Vec<StageStatus>,
    /// The sequence number of the last event the stages were built from.
    pub last_seq: i64,
    pub cancel_requested: bool,
    /// Whether the caller may cancel it (their own run, or an admin) while it is unfinished.
    pub can_cancel: bool,
    /// Whether the caller may retry it (failed) or destroy what it made (failed or cancelled):
    /// their own run with the operator role, anyone's as an admin.
    pub can_recover: bool,
    /// The container the run made, as the status poller last saw it, while it exists.
    pub container: Option<ContainerRow>,
    /// The web apps the container serves, once the run succeeded (links and how to sign in).
    pub apps: Vec<AppAccess>,
}

/// Runs, newest first; `state` is a state key (`queued`, `failed`, …) or empty for all.
#[server(prefix = "/api/fn", endpoint = "runs/list")]
pub async fn list_runs(state: String) -> Result<Vec<RunSummary>, AppError> {
    ssr::list(state).await.map_err(AppError::with_http_status)
}

#[server(prefix = "/api/fn", endpoint = "runs/get")]
pub async fn get_run(id: String) -> Result<RunView, AppError> {
    ssr::get(id).await.map_err(AppError::with_http_status)
}

/// The run's events after `after_seq` (0: from the start), in order, at most 1000 at a time.
#[server(prefix = "/api/fn", endpoint = "runs/events")]
pub async fn run_events(id: String, after_seq: i64) -> Result<Vec<SequencedEvent>, AppError> {
    ssr::events(id, after_seq)
        .await
        .map_err(AppError::with_http_status)
}

/// Cancels a queued run at once; asks the worker of a running one to stop at a safe point.
#[server(prefix = "/api/fn", endpoint = "runs/cancel")]
pub async fn cancel_run(id: String) -> Result<(), AppError> {
    ssr::cancel(id).await.map_err(AppError::with_http_status)
}

/// Puts a failed run back in the queue at `from` (a stage key, an earlier stage than the one
/// that failed) or, when `from` is empty, at the stage that failed.
#[server(prefix = "/api/fn", endpoint = "runs/retry")]
pub async fn retry_run(id: String, from: String) -> Result<(), AppError> {
    recovery::retry(id, from)
        .await
        .map_err(AppError::with_http_status)
}

/// Destroys the container a failed or cancelled run left behind; `confirm` is its name, typed.
#[server(prefix = "/api/fn", endpoint = "runs/discard")]
pub async fn discard_run(id: String, confirm: String) -> Result<ActionView, AppError> {
    recovery::discard(id, confirm)
        .await
        .map_err(AppError::with_http_status)
}

#[cfg(feature = "ssr")]
use super::api_ssr as ssr;
#[cfg(feature = "ssr")]
use super::recovery_ssr as recovery;
