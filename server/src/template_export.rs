//! `GET /templates/export/{name}[?version=N]`: the template page's "Export YAML" link, for a
//! signed-in browser session (the REST API has the same file for API tokens).

use crate::api_v1::ApiError;
use crate::api_v1::templates::yaml_download;
use crate::auth::AuthServices;
use axum::Router;
use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use berth_auth::policy::{self, Action, Principal};
use berth_db::catalog::CatalogError;
use serde::Deserialize;

pub fn routes(auth: AuthServices) -> Router {
    Router::new()
        .route("/templates/export/{name}", get(export))
        .with_state(auth)
}

#[derive(Debug, Deserialize)]
struct ExportQuery {
    version: Option<i32>,
}

async fn export(
    State(auth): State<AuthServices>,
    Path(name): Path<String>,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
    request: Request,
) -> Response {
    let Some(principal) = request.extensions().get::<Principal>() else {
        return (StatusCode::UNAUTHORIZED, "Sign in first.\n").into_response();
    };
    if let Err(denied) = policy::require(principal, Action::ViewTemplates) {
        return ApiError::Forbidden(denied.to_string()).into_response();
    }
    let Ok(Query(query)) = query else {
        return ApiError::bad_request("version: expected a version number").into_response();
    };
    let mut conn = match auth.db.get().await {
        Ok(conn) => conn,
        Err(error) => return ApiError::internal(error).into_response(),
    };
    match berth_catalog::export(&mut conn, &name, query.version).await {
        Ok(yaml) => yaml_download(&name, yaml),
        Err(CatalogError::NotFound) => {
            (StatusCode::NOT_FOUND, "No such template or version.\n").into_response()
        }
        Err(error) => ApiError::internal(error).into_response(),
    }
}
