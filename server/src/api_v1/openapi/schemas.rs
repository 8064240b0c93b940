//! The document's `components.schemas`: the JSON the routes take and give, as the Rust types
//! serialize (`berth_domain`, `berth_db`, the handlers' own answer types).

use super::{merged, schema_ref, string};
use serde_json::{Value, json};

pub(super) fn schemas() -> Value {
    merged([
        common(),
        container_spec(),
        containers(),
        super::actions::schemas(),
        runs(),
        catalog(),
    ])
}

fn nullable_string() -> Value {
    json!({ "type": ["string", "null"] })
}

fn strings() -> Value {
    json!({ "type": "array", "items": { "type": "string" } })
}

fn count() -> Value {
    json!({ "type": "integer", "minimum": 0 })
}

fn time() -> Value {
    json!({ "type": "string", "format": "date-time" })
}

fn list_of(name: &str) -> Value {
    json!({ "type": "array", "items": schema_ref(name) })
}

/// An object with every property required, as the Rust structs serialize them.
fn object(properties: Value) -> Value {
    let required: Vec<String> = properties
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    json!({ "type": "object", "required": required, "properties": properties })
}

fn common() -> Vec<(&'static str, Value)> {
    vec![
        (
            "Error",
            json!({
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": { "type": "string", "description": "What went wrong, for people." },
                    "problems": {
                        "description": "With 422: every problem of the body.",
                        "type": "array",
                        "items": schema_ref("Problem"),
                    },
                },
            }),
        ),
        (
            "Problem",
            object(json!({
                "path": {
                    "type": "string",
                    "description": "The field's dotted path from the body's root, list items as \
                        `[i]`, e.g. `identity.hostname` or `access.ssh_keys[1]`.",
                },
                "message": string(),
            })),
        ),
        (
            "Me",
            object(json!({
                "username": string(),
                "display_name": string(),
                "role": { "enum": ["viewer", "operator", "admin"] },
                "via": { "const": "api_token" },
                "token": object(json!({
                    "id": { "type": "string", "format": "uuid" },
                    "name": string(),
                    "role": { "enum": ["viewer", "operator", "admin"] },
                    "expires_at": { "type": ["string", "null"], "format": "date-time" },
                })),
            })),
        ),
        (
            "AuditList",
            json!({
                "type": "object",
                "required": ["entries", "total"],
                "properties": {
                    "entries": list_of("AuditEntry"),
                    "total": count(),
                    "limit": count(),
                    "offset": count(),
                },
            }),
        ),
        (
            "AuditEntry",
            object(json!({
                "id": count(),
                "at": time(),
                "actor_user_id": { "type": ["string", "null"], "format": "uuid" },
                "actor_name": string(),
                "action": string(),
                "target_type": nullable_string(),
                "target_id": nullable_string(),
                "source_ip": nullable_string(),
                "outcome": { "enum": ["success", "failure", "denied"] },
                "correlation_id": nullable_string(),
                "details": { "type": "object" },
            })),
        ),
    ]
}

/// The body of `POST /containers`, the wizard's spec (`berth_domain::container::ContainerSpec`).
fn container_spec() -> Vec<(&'static str, Value)> {
    let size = json!({ "type": "integer", "minimum": 1 });
    let fixed = json!({
        "type": "object",
        "required": ["mode", "address"],
        "additionalProperties": false,
        "properties": {
            "mode": { "const": "static" },
            "address": { "type": "string", "description": "CIDR, e.g. `10.0.0.5/24`." },
            "gateway": { "type": "string", "description": "Inside the address's subnet." },
        },
    });
    let mode = |name: &str| json!({ "type": "object", "required": ["mode"], "properties": { "mode": { "const": name } } });
    let spec = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["template", "identity", "resources", "storage", "network", "access", "start_after_create"],
        "properties": {
            "template": object(json!({ "name": string(), "version": size })),
            "identity": {
                "type": "object",
                "required": ["hostname", "vmid", "node"],
                "properties": {
                    "hostname": { "type": "string", "description": "RFC 1123 label." },
                    "vmid": {
                        "description": "`\"auto\"` or `{\"chosen\": 105}`.",
                        "oneOf": [
                            { "const": "auto" },
                            object(json!({ "chosen": { "type": "integer", "minimum": 100 } })),
                        ],
                    },
                    "node": {
                        "description": "`\"auto\"` or `{\"named\": \"pve1\"}`.",
                        "oneOf": [{ "const": "auto" }, object(json!({ "named": string() }))],
                    },
                    "tags": strings(),
                },
            },
            "resources": {
                "type": "object",
                "required": ["cores", "memory_mib", "swap_mib", "unprivileged"],
                "properties": {
                    "cores": size,
                    "memory_mib": size,
                    "swap_mib": count(),
                    "unprivileged": { "type": "boolean" },
                    "nesting": { "type": "boolean", "default": false },
                },
            },
            "storage": {
                "type": "object",
                "required": ["rootfs"],
                "properties": {
                    "rootfs": object(json!({ "storage": string(), "size_gib": size })),
                    "mount_points": {
                        "type": "array",
                        "items": object(json!({ "storage": string(), "size_gib": size, "path": string() })),
                    },
                },
            },
            "network": {
                "type": "object",
                "required": ["bridge", "ipv4"],
                "properties": {
                    "bridge": string(),
                    "vlan": { "type": "integer", "minimum": 1, "maximum": 4094 },
                    "ipv4": { "oneOf": [mode("dhcp"), fixed] },
                    "ipv6": { "oneOf": [mode("none"), mode("auto"), mode("dhcp"), fixed] },
                    "dns_servers": strings(),
                    "search_domain": string(),
                },
            },
            "access": {
                "type": "object",
                "description": "At least one SSH key or a root password.",
                "properties": {
                    "ssh_keys": strings(),
                    "root_password": {
                        "type": "string",
                        "writeOnly": true,
                        "description": "Kept only as a SHA-512 crypt hash; never shown again.",
                    },
                },
            },
            "inputs": {
                "type": "object",
                "description": "The template's inputs by name, each as text.",
                "additionalProperties": { "type": "string" },
            },
            "start_after_create": { "type": "boolean" },
        },
    });
    vec![("ContainerSpec", spec)]
}

fn containers() -> Vec<(&'static str, Value)> {
    let row = json!({
        "type": "object",
        "required": ["vmid", "node", "name", "status", "tags", "cpu", "cores", "mem", "maxmem",
                     "disk", "maxdisk", "uptime", "netin", "netout"],
        "properties": {
            "vmid": count(),
            "node": string(),
            "name": string(),
            "status": { "type": "string", "description": "`running`, `stopped`, …" },
            "tags": strings(),
            "lock": { "type": ["string", "null"], "description": "A held config lock." },
            "cpu": { "type": "number", "description": "CPU use as a fraction of its cores." },
            "cores": { "type": "number" },
            "mem": count(),
            "maxmem": count(),
            "disk": count(),
            "maxdisk": count(),
            "uptime": count(),
            "netin": count(),
            "netout": count(),
            "run": { "type": ["string", "null"], "description": "The Berth run that made it." },
        },
    });
    let snapshot = object(json!({
        "taken_at": { "type": "string", "format": "date-time", "description": "When Proxmox last answered." },
        "error": { "type": ["string", "null"], "description": "Why Proxmox does not answer now." },
        "failing_since": { "type": ["string", "null"], "format": "date-time" },
        "containers": list_of("ContainerRow"),
    }));
    let created = object(json!({
        "run": { "type": "string", "format": "uuid" },
        "url": { "type": "string", "description": "`/api/v1/runs/<run>`." },
    }));
    vec![
        ("ContainerRow", row),
        ("ContainersSnapshot", snapshot),
        ("RunCreated", created),
    ]
}

fn runs() -> Vec<(&'static str, Value)> {
    let stage = json!({ "enum": ["reserve_vmid", "create_container", "start_container",
        "wait_for_address", "connect", "install_packages", "push_files", "run_scripts", "verify"] });
    let state = json!({ "enum": ["queued", "running", "succeeded", "failed", "cancelled"] });
    let optional = |schema: Value| json!({ "oneOf": [schema, { "type": "null" }] });
    let summary = object(json!({
        "id": { "type": "string", "format": "uuid" },
        "template_name": string(),
        "template_version": count(),
        "hostname": string(),
        "state": state,
        "stage": optional(stage.clone()),
        "attempt": count(),
        "vmid": { "type": ["integer", "null"] },
        "node": nullable_string(),
        "error": nullable_string(),
        "requested_by": string(),
        "created_at": time(),
        "started_at": { "type": ["string", "null"], "format": "date-time" },
        "finished_at": { "type": ["string", "null"], "format": "date-time" },
        "duration_ms": { "type": ["integer", "null"] },
    }));
    let stage_view = object(json!({
        "stage": stage,
        "label": string(),
        "state": { "enum": ["pending", "running", "done", "failed", "skipped"] },
        "duration_ms": { "type": ["integer", "null"] },
        "percent": { "type": ["integer", "null"], "minimum": 0, "maximum": 100 },
        "error": nullable_string(),
    }));
    let detail = json!({
        "allOf": [schema_ref("RunSummary"), object(json!({
            "cancel_requested": { "type": "boolean" },
            "address": { "type": ["string", "null"], "description": "The container's address, once known." },
            "stages": list_of("StageView"),
        }))],
    });
    let kind = |name: &str, properties: Value| {
        let mut schema = object(properties);
        schema["properties"]["kind"] = json!({ "const": name });
        if let Some(required) = schema["required"].as_array_mut() {
            required.push(json!("kind"));
        }
        schema
    };
    let event = json!({
        "description": "One thing that happened in a run, tagged by `kind`.",
        "oneOf": [
            kind("stage_started", json!({ "stage": stage, "attempt": count() })),
            kind("stage_finished", json!({ "stage": stage, "duration_ms": count() })),
            kind("stage_failed", json!({ "stage": stage, "duration_ms": count(), "error": string(), "retrying": { "type": "boolean" } })),
            kind("log", json!({ "stage": optional(stage.clone()), "stream": { "enum": ["info", "stdout", "stderr"] }, "line": string() })),
            kind("progress", json!({ "stage": stage, "percent": { "type": "integer", "minimum": 0, "maximum": 100 } })),
            kind("state", json!({ "state": state, "message": nullable_string() })),
        ],
        "discriminator": { "propertyName": "kind" },
    });
    let sequenced = object(json!({
        "run_id": { "type": "string", "format": "uuid" },
        "seq": { "type": "integer", "minimum": 1, "description": "1, 2, 3… per run." },
        "at": time(),
        "event": schema_ref("RunEvent"),
    }));
    let page = object(json!({
        "events": list_of("SequencedEvent"),
        "last_seq": { "type": "integer", "description": "Ask again with `after=<this>`." },
        "finished": { "type": "boolean", "description": "The run has ended: no more events." },
    }));
    vec![
        ("RunSummary", summary),
        ("RunList", object(json!({ "runs": list_of("RunSummary") }))),
        ("StageView", stage_view),
        ("RunDetail", detail),
        ("RunEvent", event),
        ("SequencedEvent", sequenced),
        ("EventPage", page),
    ]
}

fn catalog() -> Vec<(&'static str, Value)> {
    let summary = object(json!({
        "name": string(),
        "title": string(),
        "description": string(),
        "icon": string(),
        "category": string(),
        "tags": strings(),
        "os_template": string(),
        "builtin": { "type": "boolean" },
        "version": count(),
        "updated_at": time(),
    }));
    let detail = object(json!({
        "spec": { "type": "object", "description": "The template as its file has it (`template:`)." },
        "buckets": { "type": "array", "items": { "type": "object" } },
        "builtin": { "type": "boolean" },
        "current": { "type": "object", "description": "The current version: number, author, time." },
        "versions": { "type": "array", "items": { "type": "object" } },
    }));
    let import = object(json!({
        "name": string(),
        "version": count(),
        "created": { "type": "boolean", "description": "A new template (else a new version)." },
        "created_buckets": strings(),
    }));
    let bucket = object(json!({
        "bucket": { "type": "object", "description": "Name, manager and packages." },
        "used_by": strings(),
        "updated_at": time(),
    }));
    vec![
        ("TemplateSummary", summary),
        (
            "TemplateList",
            object(json!({ "templates": list_of("TemplateSummary") })),
        ),
        ("TemplateDetail", detail),
        ("ImportAnswer", import),
        ("BucketSummary", bucket),
        (
            "BucketList",
            object(json!({ "buckets": list_of("BucketSummary") })),
        ),
    ]
}
