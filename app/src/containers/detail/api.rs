//! The container detail page's server function: its row, configuration, addresses, snapshots,
//! the last hour of CPU, memory and network from rrddata, and the runs and actions that touched it.

use crate::AppError;
use berth_domain::container::{ActionView, ContainerRow};
use berth_domain::run::RunSummary;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotView {
    pub name: String,
    pub description: String,
    /// RFC 3339, UTC.
    pub taken_at: Option<String>,
    pub parent: Option<String>,
}

/// One rrddata point (averages over the step).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    pub time: i64,
    /// Fraction of the container's cores.
    pub cpu: f64,
    pub mem: f64,
    pub maxmem: f64,
    /// Bytes per second.
    pub netin: f64,
    pub netout: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetailView {
    pub row: ContainerRow,
    /// The configuration keys worth showing, in Proxmox's own words.
    pub config: Vec<(String, String)>,
    pub addresses: Vec<String>,
    pub snapshots: Vec<SnapshotView>,
    pub history: Vec<Sample>,
    pub runs: Vec<RunSummary>,
    pub actions: Vec<ActionView>,
    pub can_act: bool,
    /// What Proxmox could not tell just now (the page shows the rest).
    pub gaps: Vec<String>,
}

#[server(prefix = "/api/fn", endpoint = "containers/detail", input = Json)]
pub async fn container_detail(vmid: u32) -> Result<DetailView, AppError> {
    super::api_ssr::detail(vmid)
        .await
        .map_err(AppError::with_http_status)
}
