//! Containers over the REST API.
//!
//! - `GET /api/v1/containers?tag=&status=`: the cluster's containers as its status poller last
//!   saw them (the snapshot in Redis, never a call to Proxmox), with how old that is (viewer).
//! - `GET /api/v1/containers/{vmid}`: one of them.
//! - `POST /api/v1/containers`: create one from a template version; the body is the wizard's
//!   `ContainerSpec` and the same code checks and queues it (operator). 201 with the run.

use super::{ApiError, TokenCaller};
use app::containers::api_ssr;
use app::containers::wizard::api_ssr::create_run;
use app::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use berth_auth::policy::Action;
use berth_domain::container::{ContainerRow, ContainerSpec, ContainersSnapshot};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    tag: String,
    #[serde(default)]
    status: String,
}

pub async fn list(
    Extension(state): Extension<AppState>,
    caller: TokenCaller,
    Query(query): Query<ListQuery>,
) -> Result<Json<ContainersSnapshot>, ApiError> {
    caller.require(Action::ViewContainers)?;
    let mut snapshot = snapshot(&state).await?;
    snapshot.containers.retain(|row| {
        (query.tag.is_empty() || row.tags.contains(&query.tag))
            && (query.status.is_empty() || row.status == query.status)
    });
    Ok(Json(snapshot))
}

pub async fn detail(
    Extension(state): Extension<AppState>,
    caller: TokenCaller,
    Path(vmid): Path<String>,
) -> Result<Json<ContainerRow>, ApiError> {
    caller.require(Action::ViewContainers)?;
    let missing = || ApiError::NotFoundWhat(format!("no container {vmid:?}"));
    let number: u32 = vmid.parse().map_err(|_| missing())?;
    snapshot(&state)
        .await?
        .containers
        .into_iter()
        .find(|row| row.vmid == number)
        .map(Json)
        .ok_or_else(missing)
}

/// The poller's last snapshot, read as the Containers page reads it.
async fn snapshot(state: &AppState) -> Result<ContainersSnapshot, ApiError> {
    api_ssr::snapshot(state).await?.ok_or_else(|| {
        ApiError::Unavailable(
            "No container status yet: the status poller (in berth-worker) has not written its \
             first snapshot. Try again in a few seconds."
                .into(),
        )
    })
}

#[derive(Debug, Serialize)]
pub struct Created {
    run: String,
    /// Where the run's state, stages and events are.
    url: String,
}

pub async fn create(
    Extension(state): Extension<AppState>,
    caller: TokenCaller,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Result<Json<ContainerSpec>, JsonRejection>,
) -> Result<Response, ApiError> {
    // The role first: a viewer learns that before anything about the body.
    caller.require(Action::CreateContainer)?;
    let Json(spec) = body.map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    let id = create_run(&state, &caller.principal, Some(peer.ip()), spec).await?;
    let url = format!("/api/v1/runs/{id}");
    let mut response = (
        StatusCode::CREATED,
        Json(Created {
            run: id.to_string(),
            url: url.clone(),
        }),
    )
        .into_response();
    if let Ok(location) = HeaderValue::from_str(&url) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}
