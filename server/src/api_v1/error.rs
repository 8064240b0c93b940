//! The REST API's errors: a status and `{"error": "…"}`, never HTML.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use berth_auth::throttle::Throttled;

#[derive(Debug)]
pub enum ApiError {
    /// No `Authorization: Bearer` header with a Berth token.
    MissingToken,
    /// A token that is malformed, unknown, revoked, expired, or whose owner is disabled. One
    /// message for all: it does not tell which.
    InvalidToken,
    /// Too many failed token attempts from the caller's address: every bearer attempt from it
    /// is refused (429 with `Retry-After`) until the window ends, a valid token included.
    Throttled(Throttled),
    /// The token's role does not allow this; the message names the role needed.
    Forbidden(String),
    /// A query parameter was wrong; the message names it and what was expected.
    BadRequest(String),
    NotFound,
    /// A thing the route names does not exist; the message says which.
    NotFoundWhat(String),
    /// The body was refused: every problem with its path (422, listed under `problems`).
    Invalid(Vec<berth_domain::template::FieldProblem>),
    /// The request conflicts with the thing's current state; the message says how.
    Conflict(String),
    /// Something the answer needs is not there yet (503); the message says what.
    Unavailable(String),
    /// A fault on the server (logged with this reference).
    Internal {
        reference: String,
    },
}

impl ApiError {
    /// Logs the full error under a fresh reference, which is all the client sees.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        let reference = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
        tracing::error!(%reference, %error, "REST API request failed");
        ApiError::Internal { reference }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::BadRequest(message.into())
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::MissingToken | ApiError::InvalidToken => StatusCode::UNAUTHORIZED,
            ApiError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound | ApiError::NotFoundWhat(_) => StatusCode::NOT_FOUND,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn message(&self) -> String {
        match self {
            ApiError::MissingToken => "This API needs a personal API token: send \
                 `Authorization: Bearer berth_pat_…` (browser sessions are not accepted here)."
                .to_string(),
            ApiError::InvalidToken => "The API token is invalid, expired or revoked.".to_string(),
            ApiError::Throttled(throttled) => format!(
                "Too many failed API token attempts from this address. Try again in {}.",
                throttled.wait_text()
            ),
            ApiError::Forbidden(message)
            | ApiError::BadRequest(message)
            | ApiError::NotFoundWhat(message)
            | ApiError::Conflict(message)
            | ApiError::Unavailable(message) => message.clone(),
            ApiError::Invalid(problems) => format!(
                "The request has {} problem(s); see `problems`.",
                problems.len()
            ),
            ApiError::NotFound => "No such API route.".to_string(),
            ApiError::Internal { reference } => {
                format!("Something went wrong on the server (reference {reference}).")
            }
        }
    }
}

/// An error of the code the UI shares (e.g. creating a container), as the API says it: field
/// problems are 422 with their paths, an internal fault keeps the reference already logged.
impl From<app::AppError> for ApiError {
    fn from(error: app::AppError) -> Self {
        use app::AppError;
        match error {
            AppError::Internal { reference } => ApiError::Internal { reference },
            AppError::Unauthenticated => ApiError::MissingToken,
            AppError::Forbidden(message) => ApiError::Forbidden(message),
            AppError::Invalid { field, message } => {
                ApiError::Invalid(vec![berth_domain::template::FieldProblem {
                    path: field,
                    message,
                }])
            }
            AppError::Problems(problems) => ApiError::Invalid(problems),
            AppError::Conflict(message) => ApiError::Conflict(message),
            AppError::Transport(message) => ApiError::internal(message),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let challenge = match self {
            ApiError::MissingToken => Some(r#"Bearer realm="berth""#),
            ApiError::InvalidToken => Some(r#"Bearer realm="berth", error="invalid_token""#),
            _ => None,
        };
        let retry_after = match &self {
            ApiError::Throttled(throttled) => Some(HeaderValue::from(throttled.retry_after_secs())),
            _ => None,
        };
        let mut body = serde_json::json!({ "error": self.message() });
        if let ApiError::Invalid(problems) = &self {
            body["problems"] = serde_json::json!(problems);
        }
        let mut response = (self.status(), Json(body)).into_response();
        if let Some(challenge) = challenge {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, seconds);
        }
        response
    }
}
