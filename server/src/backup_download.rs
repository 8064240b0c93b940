//! `GET /admin/backups/<name>`: Admin → Backups' download links, for an admin signed in with a
//! browser session. Only a file the backups folder lists (a dump, or its manifest) is served, so
//! a name can never reach outside the folder.

use crate::api_v1::ApiError;
use app::state::AppState;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use berth_auth::policy::{self, Action, Principal};
use tower::ServiceExt as _;
use tower_http::services::ServeFile;

const MANIFEST: &str = ".manifest.json";

pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/admin/backups/{name}", get(download))
        .with_state(state)
}

async fn download(
    State(state): State<AppState>,
    Path(name): Path<String>,
    request: Request,
) -> Response {
    // The session middleware sends strangers to sign in before they get here.
    let Some(principal) = request.extensions().get::<Principal>() else {
        return (StatusCode::UNAUTHORIZED, "Sign in first.\n").into_response();
    };
    if let Err(denied) = policy::require(principal, Action::ManageSettings) {
        return ApiError::Forbidden(denied.to_string()).into_response();
    }
    let Some(backups) = state.backups else {
        return not_found("Backups are off (no BERTH_BACKUP_DIR).");
    };
    let (dump_name, manifest) = match name.strip_suffix(MANIFEST) {
        Some(dump) => (dump.to_string(), true),
        None => (name.clone(), false),
    };
    let Some(backup) = backups.find(&dump_name) else {
        return not_found(&format!("There is no backup named {name:?}."));
    };
    let file = if manifest {
        berth_backup::manifest_path(&backup.dump)
    } else {
        backup.dump
    };
    // ServeFile answers ranges and conditional requests, so a large dump can be resumed.
    let served = ServeFile::new(&file).oneshot(request).await;
    let mut response = match served {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    };
    let quoted = name.replace(['"', '\\'], "_");
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"{quoted}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, disposition);
    }
    response
}

fn not_found(message: &str) -> Response {
    (StatusCode::NOT_FOUND, format!("{message}\n")).into_response()
}
