//! Responses the way pveproxy writes them: `{"data":…}` envelope, PVE headers, and the error text
//! in the status line's reason phrase (pve-http-server `AnyEvent.pm::response`).

use axum::body::Body;
use axum::response::Response;
use http::{HeaderValue, StatusCode, header};
use serde_json::{Map, Value, json};

use crate::schema::Errors;

/// A successful result: the `data` and, for paged lists, the top-level `total`.
#[derive(Debug)]
pub struct Reply {
    pub data: Value,
    pub total: Option<u64>,
}

impl Reply {
    pub fn data(data: Value) -> Self {
        Self { data, total: None }
    }
    pub fn null() -> Self {
        Self::data(Value::Null)
    }
    pub fn paged(data: Value, total: u64) -> Self {
        Self {
            data,
            total: Some(total),
        }
    }
}

/// An error as the real server reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// 400 `Parameter verification failed.` with an `errors` map.
    Param(Errors),
    /// 403 `Permission check failed (<what>)`.
    Perm(String),
    /// A plain `die` in a handler: 500 with the message (keeps its trailing newline in the body).
    Fail(String),
    /// 501 with a message (no trailing newline).
    NotImplemented(String),
    /// 401 with an empty body (the caller applies the delay).
    Unauthorized(&'static str),
    /// 401 of a failed `/access/ticket` login.
    LoginFailed,
    /// A proxy/transport-level failure, e.g. `595 No route to host` (plain-text body).
    Transport(u16, String),
    /// An injected 5xx.
    Injected(u16, String),
}

impl ApiError {
    pub fn param(key: &str, msg: impl Into<String>) -> Self {
        let mut e = Errors::new();
        e.insert(key.to_string(), msg.into());
        ApiError::Param(e)
    }

    pub fn perm(what: impl std::fmt::Display) -> Self {
        ApiError::Perm(format!("Permission check failed ({what})\n"))
    }

    /// A handler `die "...\n"`.
    pub fn fail(msg: impl std::fmt::Display) -> Self {
        let msg = msg.to_string();
        ApiError::Fail(if msg.ends_with('\n') {
            msg
        } else {
            format!("{msg}\n")
        })
    }
}

fn http_date() -> String {
    chrono::Utc::now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

fn base(status: u16, reason: Option<&str>, body: Body, json_body: bool) -> Response {
    let mut resp = Response::new(body);
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    h.insert(
        header::SERVER,
        HeaderValue::from_static("pve-api-daemon/3.0"),
    );
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(if json_body {
            "application/json;charset=UTF-8"
        } else {
            "text/plain;charset=UTF-8"
        }),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("max-age=0"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(&http_date()) {
        h.insert(header::EXPIRES, v.clone());
        h.insert(header::DATE, v);
    }
    if status >= 400 {
        // pveproxy closes the connection after every error reply.
        h.insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    if let Some(reason) = reason {
        // The first line of the error text is the status line's reason phrase.
        let first = reason.lines().next().unwrap_or("");
        if let Ok(phrase) = hyper::ext::ReasonPhrase::try_from(first.as_bytes().to_vec()) {
            resp.extensions_mut().insert(phrase);
        }
    }
    resp
}

pub fn ok(reply: Reply) -> Response {
    let mut obj = Map::new();
    obj.insert("data".into(), reply.data);
    if let Some(total) = reply.total {
        obj.insert("total".into(), json!(total));
    }
    base(200, None, Body::from(Value::Object(obj).to_string()), true)
}

pub fn error(err: ApiError) -> Response {
    let (status, message, errors): (u16, String, Option<Errors>) = match err {
        ApiError::Param(errors) => (400, "Parameter verification failed.\n".into(), Some(errors)),
        ApiError::Perm(m) => (403, m, None),
        ApiError::Fail(m) => (500, m, None),
        ApiError::NotImplemented(m) => (501, m, None),
        ApiError::Unauthorized(reason) => return base(401, Some(reason), Body::empty(), true),
        ApiError::LoginFailed => (401, "authentication failure\n".into(), None),
        ApiError::Transport(code, m) => {
            return base(code, Some(&m), Body::from(format!("{m}\n")), false);
        }
        ApiError::Injected(code, m) => (code, format!("{m}\n"), None),
    };
    let mut obj = Map::new();
    obj.insert("data".into(), Value::Null);
    obj.insert("message".into(), json!(message));
    if let Some(errors) = errors {
        obj.insert("errors".into(), json!(errors));
    }
    base(
        status,
        Some(&message),
        Body::from(Value::Object(obj).to_string()),
        true,
    )
}
