//! The document's `paths`: one entry per route of [`crate::api_v1::route_list`], grouped as the
//! handlers are.

use super::{Op, error, in_path, json_answer, merged, operation, query, schema_ref, string};
use serde_json::{Value, json};

pub(super) fn paths() -> Value {
    merged([
        account(),
        templates(),
        containers(),
        super::actions::paths(),
        runs(),
    ])
}

/// A sequence number: 0 means "from the start".
fn seq() -> Value {
    json!({ "type": "integer", "format": "int64", "minimum": 0 })
}

fn run_id() -> Value {
    in_path(
        "id",
        "The run's id.",
        json!({ "type": "string", "format": "uuid" }),
    )
}

fn account() -> Vec<(&'static str, Value)> {
    let me = operation(
        Op {
            id: "getMe",
            summary: "Who the token acts for: the user, the effective role and the token.",
            role: "viewer",
        },
        vec![],
        vec![("200", json_answer("The token's user.", schema_ref("Me")))],
    );
    let filters = [
        ("actor", "A substring of the actor's name."),
        ("actor_id", "The actor's user id."),
        ("action", "An action (`login`) or a family (`container.*`)."),
        ("target_type", "What was acted on, e.g. `template`."),
        ("target_id", "Its id."),
        ("outcome", "`success`, `failure` or `denied`."),
        ("correlation_id", "E.g. a run's id."),
        ("from", "RFC 3339, inclusive (encode `+` as `%2B`)."),
        ("to", "RFC 3339, exclusive."),
        ("limit", "1–1000 entries per page, default 50."),
        ("offset", "Entries to skip."),
        (
            "format",
            "`csv` or `json`: download every matching entry, oldest first.",
        ),
    ];
    let mut audit = operation(
        Op {
            id: "listAudit",
            summary: "The audit trail, newest first, filtered and paged, or exported.",
            role: "admin",
        },
        filters
            .iter()
            .map(|(name, text)| query(name, text, string()))
            .collect(),
        vec![
            (
                "200",
                json!({
                    "description": "A page of entries (or the export, with `format`).",
                    "content": {
                        "application/json": { "schema": schema_ref("AuditList") },
                        "text/csv": { "schema": string() },
                    },
                }),
            ),
            ("400", error("BadRequest")),
        ],
    );
    audit["description"] = json!(
        "Needs the admin role. `Accept: text/csv` works like `format=csv`; exports are named \
         `berth-audit-<time>.<csv|json>`."
    );
    let openapi = json!({
        "operationId": "getOpenApi",
        "summary": "This document.",
        "description": "Served without a token.",
        "security": [],
        "responses": { "200": json_answer("The OpenAPI 3.1 document.", json!({ "type": "object" })) },
    });
    vec![
        ("/me", json!({ "get": me })),
        ("/audit", json!({ "get": audit })),
        ("/openapi.json", json!({ "get": openapi })),
    ]
}

fn templates() -> Vec<(&'static str, Value)> {
    let name = in_path("name", "The template's name (a slug).", string());
    let list = operation(
        Op {
            id: "listTemplates",
            summary: "The template catalog.",
            role: "viewer",
        },
        vec![
            query(
                "search",
                "Words in name, title, description or tags.",
                string(),
            ),
            query("category", "Only this category.", string()),
            query("tag", "Only templates with this tag.", string()),
        ],
        vec![(
            "200",
            json_answer("The templates.", schema_ref("TemplateList")),
        )],
    );
    let detail = operation(
        Op {
            id: "getTemplate",
            summary: "A template's current version, the buckets it installs, its history.",
            role: "viewer",
        },
        vec![name.clone()],
        vec![
            (
                "200",
                json_answer("The template.", schema_ref("TemplateDetail")),
            ),
            ("404", error("NotFound")),
        ],
    );
    let export = operation(
        Op {
            id: "exportTemplate",
            summary: "The template file (`berth: template/v1`) with the buckets it installs.",
            role: "viewer",
        },
        vec![
            name,
            query(
                "version",
                "A version number; the current one when left out.",
                json!({ "type": "integer", "minimum": 1 }),
            ),
        ],
        vec![
            (
                "200",
                json!({
                    "description": "The YAML file, as a download.",
                    "content": { "application/yaml": { "schema": string() } },
                }),
            ),
            ("400", error("BadRequest")),
            ("404", error("NotFound")),
        ],
    );
    let mut import = operation(
        Op {
            id: "importTemplate",
            summary: "Import a template file: a new template, or a new version of one.",
            role: "admin",
        },
        vec![],
        vec![
            (
                "201",
                json_answer("A new template.", schema_ref("ImportAnswer")),
            ),
            (
                "200",
                json_answer("A new version.", schema_ref("ImportAnswer")),
            ),
            ("422", error("Invalid")),
        ],
    );
    import["requestBody"] = json!({
        "required": true,
        "description": "The template file, as exported.",
        "content": { "application/yaml": { "schema": string() } },
    });
    let buckets = operation(
        Op {
            id: "listBuckets",
            summary: "Every package bucket and the templates that install it.",
            role: "viewer",
        },
        vec![],
        vec![("200", json_answer("The buckets.", schema_ref("BucketList")))],
    );
    vec![
        ("/templates", json!({ "get": list })),
        ("/templates/import", json!({ "post": import })),
        ("/templates/{name}", json!({ "get": detail })),
        ("/templates/{name}/export", json!({ "get": export })),
        ("/buckets", json!({ "get": buckets })),
    ]
}

fn containers() -> Vec<(&'static str, Value)> {
    let unavailable = json_answer(
        "The status poller has not written its first snapshot yet.",
        schema_ref("Error"),
    );
    let list = operation(
        Op {
            id: "listContainers",
            summary: "The cluster's containers as the status poller last saw them.",
            role: "viewer",
        },
        vec![
            query("tag", "Only containers with this tag.", string()),
            query(
                "status",
                "Only containers in this state, e.g. `running`.",
                string(),
            ),
        ],
        vec![
            (
                "200",
                json_answer("The snapshot.", schema_ref("ContainersSnapshot")),
            ),
            ("503", unavailable.clone()),
        ],
    );
    let mut create = operation(
        Op {
            id: "createContainer",
            summary: "Create a container from a template version: queues a provisioning run.",
            role: "operator",
        },
        vec![],
        vec![
            ("201", {
                let mut created = json_answer("The run was queued.", schema_ref("RunCreated"));
                created["headers"] = json!({
                    "Location": { "description": "The run's URL.", "schema": string() },
                });
                created
            }),
            ("400", error("BadRequest")),
            ("422", error("Invalid")),
            (
                "409",
                json_answer("A conflict with the current state.", schema_ref("Error")),
            ),
        ],
    );
    create["requestBody"] = json!({
        "required": true,
        "content": { "application/json": { "schema": schema_ref("ContainerSpec") } },
    });
    let detail = operation(
        Op {
            id: "getContainer",
            summary: "One container from the snapshot.",
            role: "viewer",
        },
        vec![in_path(
            "vmid",
            "The container's VMID.",
            json!({ "type": "integer", "minimum": 100 }),
        )],
        vec![
            (
                "200",
                json_answer("The container.", schema_ref("ContainerRow")),
            ),
            ("404", error("NotFound")),
            ("503", unavailable),
        ],
    );
    vec![
        ("/containers", json!({ "get": list, "post": create })),
        ("/containers/{vmid}", json!({ "get": detail })),
    ]
}

fn runs() -> Vec<(&'static str, Value)> {
    let states = json!({ "enum": ["queued", "running", "succeeded", "failed", "cancelled"] });
    let list = operation(
        Op {
            id: "listRuns",
            summary: "Provisioning runs, newest first.",
            role: "viewer",
        },
        vec![
            query("state", "Only runs in this state.", states),
            query("template", "Only runs of this template.", string()),
            query(
                "limit",
                "At most this many (1–500, default 50).",
                json!({ "type": "integer", "minimum": 1, "maximum": 500 }),
            ),
        ],
        vec![
            ("200", json_answer("The runs.", schema_ref("RunList"))),
            ("400", error("BadRequest")),
        ],
    );
    let detail = operation(
        Op {
            id: "getRun",
            summary: "A run with its stages (state and duration of each), never its secrets.",
            role: "viewer",
        },
        vec![run_id()],
        vec![
            ("200", json_answer("The run.", schema_ref("RunDetail"))),
            ("404", error("NotFound")),
        ],
    );
    let events = operation(
        Op {
            id: "listRunEvents",
            summary: "A run's events after a sequence number, in order.",
            role: "viewer",
        },
        vec![
            run_id(),
            query("after", "Only events after this `seq` (default 0).", seq()),
            query(
                "limit",
                "At most this many (1–10000, default 1000).",
                json!({ "type": "integer", "minimum": 1, "maximum": 10000 }),
            ),
        ],
        vec![
            (
                "200",
                json_answer("A page of events.", schema_ref("EventPage")),
            ),
            ("400", error("BadRequest")),
            ("404", error("NotFound")),
        ],
    );
    let stream = operation(
        Op {
            id: "followRunEvents",
            summary: "A run's events live, as server-sent events: replayed, then followed.",
            role: "viewer",
        },
        vec![
            run_id(),
            query(
                "after",
                "Start after this `seq` (default 0: everything).",
                seq(),
            ),
            json!({
                "name": "Last-Event-ID",
                "in": "header",
                "required": false,
                "description": "Sent by a reconnecting client: the last `id` it received. The \
                    later of this and `after` wins.",
                "schema": seq(),
            }),
        ],
        vec![
            (
                "200",
                json!({
                    "description": "`text/event-stream`. Each event: `id: <seq>`, \
                        `event: run-event`, `data:` a RunEvent's JSON (schema \
                        `SequencedEvent`). Once the run has ended and every event was sent: \
                        `event: end`, `data: {\"last_seq\": N}`, and the stream closes. \
                        Comments keep a quiet connection alive.",
                    "content": {
                        "text/event-stream": {
                            "schema": string(),
                            // OpenAPI 3.1 has no item schema for streams (3.2 does).
                            "x-event-data": schema_ref("SequencedEvent"),
                        },
                    },
                }),
            ),
            ("400", error("BadRequest")),
            ("404", error("NotFound")),
        ],
    );
    vec![
        ("/runs", json!({ "get": list })),
        ("/runs/{id}", json!({ "get": detail })),
        ("/runs/{id}/events", json!({ "get": events })),
        ("/runs/{id}/events/stream", json!({ "get": stream })),
    ]
}
