//! Server functions of the containers page: the live list (from the status poller's snapshot,
//! never from Proxmox directly) and asking for an action on a container.

use crate::AppError;
use berth_domain::container::{ActionRequest, ActionView, ContainersSnapshot};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// What the containers page renders first; the websocket keeps it current afterwards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterOverview {
    /// `None` until the status poller (in berth-worker) has written its first snapshot.
    pub snapshot: Option<ContainersSnapshot>,
    /// Actions under way, and those that ended in the last few minutes.
    pub actions: Vec<ActionView>,
    /// Whether the caller may act at all (operators and admins).
    pub can_act: bool,
}

#[server(prefix = "/api/fn", endpoint = "containers/overview")]
pub async fn containers_overview() -> Result<ClusterOverview, AppError> {
    ssr::overview().await.map_err(AppError::with_http_status)
}

/// Records the action (with its audit entry) and queues it; a worker carries it out. Refused
/// with a specific reason, at its field, when it cannot be done.
#[server(prefix = "/api/fn", endpoint = "containers/action", input = Json)]
pub async fn container_action(request: ActionRequest) -> Result<ActionView, AppError> {
    ssr::act(request).await.map_err(AppError::with_http_status)
}

#[cfg(feature = "ssr")]
use super::api_ssr as ssr;
