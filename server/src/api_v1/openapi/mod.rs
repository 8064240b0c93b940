//! `GET /api/v1/openapi.json`: the REST API described as an OpenAPI 3.1 document, written as
//! data next to the routes it describes. Served without a token, so generators and people can
//! read it before they have one. A test holds it to the router's route list
//! ([`super::route_list`]): a route missing here, or documented but not routed, fails it.

mod actions;
mod paths;
mod schemas;

use axum::Json;
use serde_json::{Map, Value, json};
use std::sync::LazyLock;

static DOCUMENT: LazyLock<Value> = LazyLock::new(build);

pub async fn document() -> Json<Value> {
    Json(DOCUMENT.clone())
}

fn build() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Berth REST API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Automation for Berth: templates, containers, provisioning runs and \
                the audit trail. Every route but this document needs a personal API token \
                (`Authorization: Bearer berth_pat_…`, created at Account or with \
                `berth-server token create`); a browser session is not accepted. A token acts \
                with the lower of its own and its owner's role (viewer < operator < admin). \
                Errors are JSON `{\"error\": \"…\"}`.",
        },
        "servers": [{ "url": "/api/v1" }],
        "security": [{ "bearer": [] }],
        "paths": paths::paths(),
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "berth_pat_<16 hex>_<64 hex>",
                    "description": "A personal API token.",
                },
            },
            "schemas": schemas::schemas(),
            "responses": error_responses(),
        },
    })
}

/// The error answers routes share, each the `Error` schema.
fn error_responses() -> Value {
    let mut responses = Map::new();
    for (name, description) in [
        (
            "BadRequest",
            "A parameter or the body is wrong; the message names it.",
        ),
        (
            "Unauthorized",
            "No token, or one that is invalid, expired or revoked, or whose owner is disabled \
             (with `WWW-Authenticate: Bearer`).",
        ),
        (
            "Forbidden",
            "The token's role does not allow this; the message names the role needed.",
        ),
        (
            "NotFound",
            "No such route, or the thing the path names does not exist.",
        ),
        (
            "Invalid",
            "The body was refused: every problem with the path of its field under `problems`.",
        ),
        (
            "TooManyRequests",
            "Too many unusable tokens from this address; `Retry-After` says for how many seconds.",
        ),
        (
            "Internal",
            "A fault on the server; the message carries a reference for its log.",
        ),
    ] {
        responses.insert(
            name.to_string(),
            json!({
                "description": description,
                "content": { "application/json": { "schema": schema_ref("Error") } },
            }),
        );
    }
    Value::Object(responses)
}

/// One object of the named entries of every group, in order.
fn merged<const N: usize>(groups: [Vec<(&'static str, Value)>; N]) -> Value {
    Value::Object(
        groups
            .into_iter()
            .flatten()
            .map(|(name, value)| (name.to_string(), value))
            .collect(),
    )
}

fn string() -> Value {
    json!({ "type": "string" })
}

/// `{"$ref": "#/components/schemas/<name>"}`.
fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// A JSON answer of `schema`.
fn json_answer(description: &str, schema: Value) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": schema } },
    })
}

/// One of the shared error answers ([`error_responses`]).
fn error(name: &str) -> Value {
    json!({ "$ref": format!("#/components/responses/{name}") })
}

fn query(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

fn in_path(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": description, "schema": schema })
}

/// What an operation is: its id, a summary, the least role that may call it.
struct Op {
    id: &'static str,
    summary: &'static str,
    role: &'static str,
}

/// An operation that needs a token: the answers given plus 401, 403 and 429, which every such
/// route may give.
fn operation(op: Op, parameters: Vec<Value>, answers: Vec<(&str, Value)>) -> Value {
    let mut responses = Map::new();
    for (status, answer) in answers {
        responses.insert(status.to_string(), answer);
    }
    responses.insert("401".into(), error("Unauthorized"));
    responses.insert("403".into(), error("Forbidden"));
    responses.insert("429".into(), error("TooManyRequests"));
    responses.insert("500".into(), error("Internal"));
    json!({
        "operationId": op.id,
        "summary": op.summary,
        "description": format!("Needs the {} role or higher.", op.role),
        "parameters": parameters,
        "responses": responses,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn routes_in(document: &Value) -> BTreeSet<(String, String)> {
        let mut found = BTreeSet::new();
        for (path, item) in document["paths"].as_object().into_iter().flatten() {
            for method in item.as_object().into_iter().flatten().map(|(m, _)| m) {
                found.insert((method.to_uppercase(), path.clone()));
            }
        }
        found
    }

    #[test]
    fn the_document_describes_exactly_the_routes_the_router_serves() {
        let routed: BTreeSet<(String, String)> = super::super::route_list()
            .into_iter()
            .map(|(method, path)| (method.to_string(), path.to_string()))
            .collect();
        assert_eq!(routes_in(&build()), routed);
    }

    /// Every `$ref` names a component that exists.
    #[test]
    fn every_reference_resolves() {
        fn refs(value: &Value, out: &mut Vec<String>) {
            match value {
                Value::Object(map) => {
                    if let Some(Value::String(target)) = map.get("$ref") {
                        out.push(target.clone());
                    }
                    map.values().for_each(|v| refs(v, out));
                }
                Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
                _ => {}
            }
        }
        let document = build();
        let mut found = Vec::new();
        refs(&document, &mut found);
        assert!(found.len() > 20, "{found:?}");
        for target in found {
            let pointer = target.trim_start_matches('#');
            assert!(document.pointer(pointer).is_some(), "{target} is not there");
        }
    }
}
