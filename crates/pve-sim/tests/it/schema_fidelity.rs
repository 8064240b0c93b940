//! Every route, method and parameter the simulator serves must exist in the real API schema of
//! both PVE 9 and PVE 8.4 (`../shared/pve/apidata-pve{9,8}.json`), with the same type,
//! optionality, range, length limits and enumeration.

use std::collections::HashMap;
use std::path::Path;

use berth_pve_sim::ServedParam;
use serde_json::Value;

const SCHEMA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/pve");

/// `(METHOD, path)` → parameter name → its schema.
type Methods = HashMap<(String, String), HashMap<String, Value>>;

fn walk(node: &Value, out: &mut Methods) {
    let path = node["path"].as_str().unwrap_or_default().to_string();
    if let Some(info) = node["info"].as_object() {
        for (method, def) in info {
            let params = def["parameters"]["properties"]
                .as_object()
                .map(|props| props.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default();
            out.insert((method.clone(), path.clone()), params);
        }
    }
    for child in node["children"].as_array().into_iter().flatten() {
        walk(child, out);
    }
}

fn load(file: &Path) -> Methods {
    let roots: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let mut out = Methods::new();
    for root in roots.as_array().unwrap() {
        walk(root, &mut out);
    }
    out
}

/// Numbers in the dump are sometimes strings (`"minimum":"0"`).
fn num(v: &Value) -> Option<f64> {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

fn compare(ours: &ServedParam, real: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    let real_ty = real["type"].as_str().unwrap_or("string");
    if real_ty != ours.ty {
        diffs.push(format!("type {real_ty} vs {}", ours.ty));
    }
    let real_optional = num(&real["optional"]).is_some_and(|o| o != 0.0);
    // `[n]` keys are optional in the dump; the simulator never requires them either.
    if real_optional != ours.optional && !ours.name.ends_with("[n]") {
        diffs.push(format!("optional {real_optional} vs {}", ours.optional));
    }
    let checks = [
        ("minimum", num(&real["minimum"]), ours.minimum),
        ("maximum", num(&real["maximum"]), ours.maximum),
        (
            "maxLength",
            num(&real["maxLength"]),
            ours.max_length.map(|n| n as f64),
        ),
        (
            "minLength",
            num(&real["minLength"]),
            ours.min_length.map(|n| n as f64),
        ),
    ];
    for (what, real_v, our_v) in checks {
        if real_v != our_v {
            diffs.push(format!("{what} {real_v:?} vs {our_v:?}"));
        }
    }
    let real_enum: Option<Vec<String>> = real["enum"].as_array().map(|a| {
        a.iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    });
    if real_enum != ours.enumeration {
        diffs.push(format!("enum {real_enum:?} vs {:?}", ours.enumeration));
    }
    // Property strings: every key the simulator parses must be a key of the real format.
    for key in &ours.sub {
        match real["format"].get(&key.name) {
            None => diffs.push(format!("property-string key '{}' does not exist", key.name)),
            Some(real_key) => {
                for d in compare(key, real_key) {
                    diffs.push(format!("key '{}': {d}", key.name));
                }
            }
        }
    }
    diffs
}

#[test]
fn served_api_matches_pve9_and_pve8() {
    let dir = Path::new(SCHEMA_DIR);
    if !dir.join("apidata-pve9.json").exists() || !dir.join("apidata-pve8.json").exists() {
        println!(
            "SKIPPED schema fidelity: {} not found (the shared folder is absent)",
            dir.display()
        );
        return;
    }
    let mut problems = Vec::new();
    let mut checked = 0;
    for file in ["apidata-pve9.json", "apidata-pve8.json"] {
        let real = load(&dir.join(file));
        for served in berth_pve_sim::served_api() {
            let (method, path) = (&served.method, &served.path);
            let Some(real_params) = real.get(&(method.clone(), path.clone())) else {
                problems.push(format!("{file}: no {method} {path}"));
                continue;
            };
            for p in &served.params {
                checked += 1;
                match real_params.get(&p.name) {
                    None => problems.push(format!(
                        "{file}: {method} {path} has no parameter '{}'",
                        p.name
                    )),
                    Some(real_p) => {
                        for d in compare(p, real_p) {
                            problems.push(format!("{file}: {method} {path} '{}': {d}", p.name));
                        }
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(checked > 200, "only {checked} parameters checked");
}
