//! The error the UI sees from a server function: a message that is safe to show, plus a reference
//! id that points at the full error in the server's log.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// A fault on the server; the details are in the log under `reference`.
    #[error("Something went wrong on the server (reference {reference}).")]
    Internal { reference: String },
    /// No session (or it ended): the user has to sign in again.
    #[error("Your session has ended. Sign in again.")]
    Unauthenticated,
    /// Signed in, but the role does not allow it; the message says which role is needed.
    #[error("{0}")]
    Forbidden(String),
    /// The input was refused; `field` names the form field (empty for the whole form).
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// Several inputs were refused at once, each problem with the path of its field.
    #[error("{} problem(s): {}", .0.len(), .0.first().map(|p| p.to_string()).unwrap_or_default())]
    Problems(Vec<berth_domain::template::FieldProblem>),
    /// Someone else changed it since it was loaded; the message says what to do.
    #[error("{0}")]
    Conflict(String),
    /// The request did not reach the server function or its answer was unreadable.
    #[error("The server could not be reached: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::MissingArg(name) => AppError::Invalid {
                field: name.clone(),
                message: format!("The request lacks {name}."),
            },
            // On the server these mean the request's body did not decode: the caller's fault,
            // said as such (the server turns the status into a 400). In the browser the same
            // words mean the answer did not decode.
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::Deserialization(detail)
                if cfg!(feature = "ssr") =>
            {
                AppError::Invalid {
                    field: String::new(),
                    message: format!("The request was not understood: {detail}"),
                }
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Sets the HTTP status of the server function's response to match the error (400, 401,
    /// 403, 500), so clients, proxies and logs see what kind of failure it was.
    pub fn with_http_status(self) -> Self {
        use axum::http::StatusCode;
        let status = match &self {
            AppError::Invalid { .. } | AppError::Problems(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Internal { .. } | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
        self
    }

    /// Logs the full error with a fresh reference id and returns what the user may see.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        let reference = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
        tracing::error!(%reference, %error, "server function failed");
        AppError::Internal { reference }
    }
}
