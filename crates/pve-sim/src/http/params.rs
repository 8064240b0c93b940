//! Request parameters: form or JSON body, query string merged over it, URI placeholders last
//! (pve-http-server `AnyEvent.pm::extract_params`, pve-manager `HTTPServer.pm`).

use http::HeaderMap;
use serde_json::Value;

use super::reply::ApiError;
use crate::schema::Params;

fn merge_pairs(into: &mut Params, raw: &[u8]) {
    for (k, v) in url::form_urlencoded::parse(raw) {
        // A key given twice arrives joined by NUL, which no typed check accepts.
        into.entry(k.into_owned())
            .and_modify(|old| {
                old.push('\0');
                old.push_str(&v);
            })
            .or_insert_with(|| v.into_owned());
    }
}

/// A JSON scalar as the Perl handler sees it: `true`/`false` become 1/0.
fn json_scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(u8::from(*b).to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Body and query parameters, before the URI placeholders are added.
pub fn collect(headers: &HeaderMap, query: Option<&str>, body: &[u8]) -> Result<Params, ApiError> {
    let mut params = Params::new();
    if !body.is_empty() {
        let is_json = headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.trim_start().starts_with("application/json"));
        if is_json {
            let value: Value = serde_json::from_slice(body)
                .map_err(|e| ApiError::fail(format!("malformed JSON string, {e}")))?;
            let Value::Object(obj) = value else {
                return Err(ApiError::fail("JSON body is not an object"));
            };
            for (k, v) in &obj {
                if let Some(s) = json_scalar(v) {
                    params.insert(k.clone(), s);
                }
            }
        } else {
            merge_pairs(&mut params, body);
        }
    }
    if let Some(q) = query {
        let mut from_query = Params::new();
        merge_pairs(&mut from_query, q.as_bytes());
        params.extend(from_query);
    }
    params.remove("_dc");
    Ok(params)
}

/// Adds the URI placeholders; a conflicting body/query value is a 400.
pub fn add_uri_params(params: &mut Params, uri: Params) -> Result<(), ApiError> {
    for (k, v) in uri {
        if params.get(&k).is_some_and(|old| *old != v) {
            return Err(ApiError::param(
                &k,
                "duplicate parameter (already defined in URI) with conflicting values!",
            ));
        }
        params.insert(k, v);
    }
    Ok(())
}
