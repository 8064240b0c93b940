//! Container actions over the REST API, through the same checks, audit entry and queue as the
//! Containers page ([`app::containers::api_ssr::request_action`]).
//!
//! - `POST /api/v1/containers/{vmid}/actions` with `{"kind": "stop"}` (or `start`, `shutdown`,
//!   `reboot`, `destroy`, `snapshot`, `rollback`, `delete_snapshot`; `snapshot`, `description`
//!   and `confirm` where the action needs them): 202 with the queued action (operator).
//! - `GET /api/v1/actions/{id}`: the action's state, Proxmox's task and, if it failed, why.

use super::{ApiError, TokenCaller};
use app::containers::api_ssr::request_action;
use app::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, Path};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use berth_auth::policy::Action;
use berth_db::actions::{self, ActionError};
use berth_domain::container::{ActionKind, ActionRequest, ActionView};
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    kind: ActionKind,
    #[serde(default)]
    snapshot: Option<String>,
    #[serde(default)]
    description: Option<String>,
    /// The container's name, for `destroy` and `rollback`.
    #[serde(default)]
    confirm: Option<String>,
}

pub async fn request(
    Extension(state): Extension<AppState>,
    caller: TokenCaller,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(vmid): Path<String>,
    body: Result<Json<ActionBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::ManageContainer)?;
    let vmid: u32 = vmid
        .parse()
        .map_err(|_| ApiError::NotFoundWhat(format!("no container {vmid:?}")))?;
    let Json(body) = body.map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    let request = ActionRequest {
        vmid,
        kind: body.kind,
        snapshot: body.snapshot,
        description: body.description,
        confirm: body.confirm,
    };
    let view = request_action(&state, &caller.principal, Some(peer.ip()), request).await?;
    let url = format!("/api/v1/actions/{}", view.id);
    let mut response = (StatusCode::ACCEPTED, Json(view)).into_response();
    if let Ok(location) = HeaderValue::from_str(&url) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

pub async fn get(
    Extension(state): Extension<AppState>,
    caller: TokenCaller,
    Path(id): Path<String>,
) -> Result<Json<ActionView>, ApiError> {
    caller.require(Action::ViewContainers)?;
    let missing = || ApiError::NotFoundWhat(format!("no action {id:?}"));
    let uuid = id.parse().map_err(|_| missing())?;
    let mut conn = state.db().get().await.map_err(ApiError::internal)?;
    match actions::get(&mut conn, uuid).await {
        Ok(record) => Ok(Json(record.view)),
        Err(ActionError::NotFound) => Err(missing()),
        Err(other) => Err(ApiError::internal(other)),
    }
}
