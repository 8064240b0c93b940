//! Turning an HTTP answer into data: the `{"data": …}` envelope on success, an [`ApiError`]
//! with status, reason phrase, `message` and `errors` otherwise.

use crate::endpoints::Method;
use crate::error::{ApiError, Error};
use crate::perl;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// An answer before interpretation.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) reason: String,
    pub(crate) body: String,
}

#[derive(Deserialize)]
struct Envelope<T> {
    data: T,
    #[serde(default, deserialize_with = "perl::opt_int")]
    total: Option<u64>,
}

/// Longest body text kept in an error.
const BODY_EXCERPT: usize = 512;

/// `{"data": …}` on success; an [`ApiError`] with everything PVE said otherwise.
pub(crate) fn decode<T: DeserializeOwned>(
    method: Method,
    path: &str,
    raw: RawResponse,
) -> Result<(T, Option<u64>), Error> {
    if (200..300).contains(&raw.status) {
        return match serde_json::from_str::<Envelope<T>>(&raw.body) {
            Ok(env) => Ok((env.data, env.total)),
            Err(source) => Err(Error::Decode {
                method,
                path: path.to_owned(),
                body: excerpt(&raw.body),
                source,
            }),
        };
    }
    Err(api_error(method, path, raw).into())
}

pub(crate) fn api_error(method: Method, path: &str, raw: RawResponse) -> ApiError {
    // 401s have an empty body; old servers send only `{"data":null}`; keys come in any order.
    let body: serde_json::Value = serde_json::from_str(&raw.body).unwrap_or_default();
    let message = body
        .get("message")
        .and_then(|m| m.as_str())
        .map(|m| m.trim_end().to_owned())
        .filter(|m| !m.is_empty());
    let errors = body
        .get("errors")
        .and_then(|e| e.as_object())
        .map(|map| {
            map.iter()
                .map(|(k, v)| {
                    let text = v
                        .as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| v.to_string());
                    (k.clone(), text.trim_end().to_owned())
                })
                .collect()
        })
        .unwrap_or_default();
    ApiError {
        method,
        path: path.to_owned(),
        status: raw.status,
        reason: raw.reason,
        message,
        errors,
    }
}

fn excerpt(body: &str) -> String {
    match body.char_indices().nth(BODY_EXCERPT) {
        Some((i, _)) => format!("{}…", &body[..i]),
        None => body.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiErrorKind;

    fn raw(status: u16, reason: &str, body: &str) -> RawResponse {
        RawResponse {
            status,
            reason: reason.into(),
            body: body.into(),
        }
    }

    #[test]
    fn decodes_data_and_total() {
        let (lines, total): (Vec<serde_json::Value>, _) = decode(
            Method::Get,
            "/x",
            raw(200, "OK", r#"{"data":[{"n":1,"t":"a"}],"total":"7"}"#),
        )
        .unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!(total, Some(7));
        let (unit, _): ((), _) =
            decode(Method::Put, "/x", raw(200, "OK", r#"{"data":null}"#)).unwrap();
        assert_eq!(unit, ());
    }

    #[test]
    fn parameter_errors_new_and_old_style() {
        // Key order is random in real bodies; message has its trailing newline.
        let new = api_error(
            Method::Post,
            "/nodes/pve/lxc",
            raw(
                400,
                "Parameter verification failed.",
                r#"{"errors":{"vmid":"invalid format - value does not look like a valid VM ID\n"},"data":null,"message":"Parameter verification failed.\n"}"#,
            ),
        );
        assert_eq!(new.kind(), ApiErrorKind::BadRequest);
        assert_eq!(
            new.message.as_deref(),
            Some("Parameter verification failed.")
        );
        assert_eq!(
            new.errors.get("vmid").map(String::as_str),
            Some("invalid format - value does not look like a valid VM ID")
        );
        let old = api_error(
            Method::Post,
            "/nodes/pve/lxc/100/status/stop",
            raw(
                400,
                "Parameter verification failed.",
                r#"{"data":null,"errors":{"overrule-shutdown":"property is not defined in schema and the schema does not allow additional properties"}}"#,
            ),
        );
        assert_eq!(old.message, None);
        assert_eq!(old.text(), "Parameter verification failed.");
        assert!(old.errors.contains_key("overrule-shutdown"));
    }

    #[test]
    fn empty_401_body_keeps_the_reason() {
        let e = api_error(Method::Get, "/version", raw(401, "No ticket", ""));
        assert_eq!(e.kind(), ApiErrorKind::Unauthorized);
        assert_eq!(e.text(), "No ticket");
    }

    #[test]
    fn bad_success_body_is_a_decode_error() {
        let r: Result<(u32, _), _> = decode(Method::Get, "/x", raw(200, "OK", "<html>"));
        assert!(matches!(r, Err(Error::Decode { .. })));
    }
}
