//! The document's container actions: the two routes and the two schemas they use.

use super::{Op, error, in_path, json_answer, operation, schema_ref, string};
use serde_json::{Value, json};

fn kinds() -> Value {
    json!({ "enum": ["start", "shutdown", "stop", "reboot", "destroy", "snapshot", "rollback",
                     "delete_snapshot"] })
}

pub(super) fn paths() -> Vec<(&'static str, Value)> {
    let mut request = operation(
        Op {
            id: "requestContainerAction",
            summary: "Queue an action on a container; a worker carries it out as a Proxmox task.",
            role: "operator",
        },
        vec![in_path(
            "vmid",
            "The container's VMID.",
            json!({ "type": "integer", "minimum": 100 }),
        )],
        vec![
            ("202", {
                let mut queued =
                    json_answer("The action was queued.", schema_ref("ContainerAction"));
                queued["headers"] = json!({
                    "Location": { "description": "`/api/v1/actions/<id>`.", "schema": string() },
                });
                queued
            }),
            ("400", error("BadRequest")),
            (
                "409",
                json_answer(
                    "The container's state rules it out (already running, locked, protected, \
                     another action under way).",
                    schema_ref("Error"),
                ),
            ),
        ],
    );
    request["requestBody"] = json!({
        "required": true,
        "content": { "application/json": { "schema": schema_ref("ContainerActionRequest") } },
    });
    let get = operation(
        Op {
            id: "getContainerAction",
            summary: "One action: its state, its Proxmox task and, if it failed, why.",
            role: "viewer",
        },
        vec![in_path(
            "id",
            "The action's id.",
            json!({ "type": "string", "format": "uuid" }),
        )],
        vec![
            (
                "200",
                json_answer("The action.", schema_ref("ContainerAction")),
            ),
            ("404", error("NotFound")),
        ],
    );
    vec![
        ("/containers/{vmid}/actions", json!({ "post": request })),
        ("/actions/{id}", json!({ "get": get })),
    ]
}

pub(super) fn schemas() -> Vec<(&'static str, Value)> {
    let nullable = json!({ "type": ["string", "null"] });
    let request = json!({
        "type": "object",
        "required": ["kind"],
        "additionalProperties": false,
        "properties": {
            "kind": kinds(),
            "snapshot": { "type": "string", "description": "For snapshot, rollback and delete_snapshot: 2–40 characters, a letter first, then letters, digits, `_` or `-`." },
            "description": { "type": "string", "maxLength": 1024, "description": "For snapshot." },
            "confirm": { "type": "string", "description": "For destroy and rollback: the container's name." },
        },
    });
    let view = json!({
        "type": "object",
        "required": ["id", "vmid", "node", "name", "kind", "state", "requested_by", "created_at"],
        "properties": {
            "id": { "type": "string", "format": "uuid" },
            "vmid": { "type": "integer" },
            "node": string(),
            "name": { "type": "string", "description": "The container's name when it was asked for." },
            "kind": kinds(),
            "snapshot": nullable,
            "state": { "enum": ["queued", "running", "succeeded", "failed"] },
            "error": { "type": ["string", "null"], "description": "Why it failed, in Proxmox's words." },
            "upid": { "type": ["string", "null"], "description": "The Proxmox task." },
            "requested_by": string(),
            "created_at": { "type": "string", "format": "date-time" },
            "finished_at": { "type": ["string", "null"], "format": "date-time" },
        },
    });
    vec![
        ("ContainerActionRequest", request),
        ("ContainerAction", view),
    ]
}
