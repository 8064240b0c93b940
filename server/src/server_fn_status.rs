//! Leptos answers a server function whose arguments do not decode with a 500, though the fault
//! is the caller's. Such an answer carries `AppError::Invalid` (see `AppError`'s
//! `from_server_fn_error`): this turns its status into 400, so clients, proxies and metrics see
//! a refused request, not a broken server. Every other answer passes untouched.

use app::AppError;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// Server function error bodies are a small JSON value; anything longer is left alone.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn refused_arguments_are_400(request: Request, next: Next) -> Response {
    let is_server_fn = request.uri().path().starts_with("/api/fn/");
    let response = next.run(request).await;
    if !is_server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(AppError::Invalid { .. }) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}
