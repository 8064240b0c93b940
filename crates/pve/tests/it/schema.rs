//! Schema fidelity: every route, method and parameter in the client's endpoint table exists
//! in the real API dumps of PVE 9 and PVE 8.4 (`shared/pve/apidata-pve{9,8}.json`).

use berth_pve::ENDPOINTS;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

const SCHEMA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/pve");

/// path → the node's `info` object, for the whole tree.
fn index(tree: &Value, out: &mut HashMap<String, Value>) {
    for node in tree.as_array().into_iter().flatten() {
        if let (Some(path), Some(info)) = (node["path"].as_str(), node.get("info")) {
            out.insert(path.to_owned(), info.clone());
        }
        if let Some(children) = node.get("children") {
            index(children, out);
        }
    }
}

/// Every mismatch between the endpoint table and one schema file.
fn mismatches(schema: &HashMap<String, Value>) -> Vec<String> {
    let mut problems = Vec::new();
    for ep in ENDPOINTS {
        let Some(info) = schema.get(ep.path) else {
            problems.push(format!("no path {}", ep.path));
            continue;
        };
        let Some(method) = info.get(ep.method.as_str()) else {
            problems.push(format!("no method {} {}", ep.method, ep.path));
            continue;
        };
        let props = &method["parameters"]["properties"];
        for param in ep.path_params().chain(ep.params.iter().copied()) {
            if props.get(param).is_none() {
                problems.push(format!(
                    "no parameter {param:?} on {} {}",
                    ep.method, ep.path
                ));
            }
        }
    }
    problems
}

#[test]
fn endpoints_exist_in_pve9_and_pve8_schemas() {
    let dir = Path::new(SCHEMA_DIR);
    if !dir.is_dir() {
        println!(
            "SKIPPED schema fidelity: {} is absent (it holds apidata-pve9.json and apidata-pve8.json)",
            dir.display()
        );
        return;
    }
    let mut problems = Vec::new();
    for file in ["apidata-pve9.json", "apidata-pve8.json"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let tree: Value = serde_json::from_str(&text).unwrap();
        let mut schema = HashMap::new();
        index(&tree, &mut schema);
        assert!(
            schema.len() > 300,
            "{file}: parsed only {} paths",
            schema.len()
        );
        problems.extend(
            mismatches(&schema)
                .into_iter()
                .map(|p| format!("{file}: {p}")),
        );
    }
    assert!(
        problems.is_empty(),
        "endpoint table disagrees with the real API:\n{}",
        problems.join("\n")
    );
}
