//! Schema fidelity of the values, not only the names: a create and a config update with every
//! field set are rendered to the form the client sends, and each value must be valid for the
//! real parameter's type in PVE 9 and 8.4 — integers and numbers in range, booleans as `0`/`1`,
//! strings within their length, enumeration and pattern, and property strings (`net0`, …)
//! made only of keys the real format knows, each value valid in turn.

use berth_pve::Params;
use berth_pve::types::{CreateLxc, LxcConfigUpdate, LxcOptions, NetConfig};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

const SCHEMA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/pve");

fn method_params(tree: &Value, path: &str, method: &str) -> Option<Value> {
    for node in tree.as_array().into_iter().flatten() {
        if node["path"] == path {
            return Some(node["info"][method]["parameters"]["properties"].clone());
        }
        if let Some(found) = node
            .get("children")
            .and_then(|c| method_params(c, path, method))
        {
            return Some(found);
        }
    }
    None
}

fn full_options() -> LxcOptions {
    let net = NetConfig {
        name: "eth0".into(),
        bridge: Some("vmbr0".into()),
        ip: Some("10.0.0.5/24".into()),
        gw: Some("10.0.0.1".into()),
        ip6: Some("auto".into()),
        gw6: None,
        hwaddr: Some("BC:24:11:2A:3B:4C".into()),
        firewall: Some(true),
        tag: Some(42),
        mtu: Some(1500),
        rate: Some(12.5),
    };
    LxcOptions {
        hostname: Some("web-1".into()),
        cores: Some(2),
        cpulimit: Some(1.5),
        cpuunits: Some(100),
        memory: Some(1024),
        swap: Some(512),
        nets: BTreeMap::from([(0, net)]),
        nameserver: Some("1.1.1.1 9.9.9.9".into()),
        searchdomain: Some("example.com".into()),
        features: Some("nesting=1".into()),
        onboot: Some(true),
        startup: Some("order=2,up=30".into()),
        protection: Some(false),
        tags: Some("berth;berth-run-7".into()),
        description: Some("made by Berth".into()),
        ostype: Some("debian".into()),
        arch: Some("amd64".into()),
        timezone: Some("Europe/Berlin".into()),
    }
}

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

/// Why `value` is not valid for the parameter schema `def`, if it is not.
fn invalid(value: &str, def: &Value) -> Option<String> {
    match def["type"].as_str().unwrap_or("string") {
        "integer" => {
            let Ok(n) = value.parse::<i64>() else {
                return Some(format!("{value:?} is not an integer"));
            };
            out_of_range(n as f64, def)
        }
        "number" => match value.parse::<f64>() {
            Ok(n) => out_of_range(n, def),
            Err(_) => Some(format!("{value:?} is not a number")),
        },
        "boolean" => (!matches!(value, "0" | "1")).then(|| format!("{value:?} is not 0/1")),
        _ => invalid_string(value, def),
    }
}

fn out_of_range(n: f64, def: &Value) -> Option<String> {
    let low = num(&def["minimum"]).is_some_and(|min| n < min);
    let high = num(&def["maximum"]).is_some_and(|max| n > max);
    (low || high).then(|| format!("{n} is outside {:?}..{:?}", def["minimum"], def["maximum"]))
}

fn invalid_string(value: &str, def: &Value) -> Option<String> {
    if let Some(max) = num(&def["maxLength"])
        && value.chars().count() as f64 > max
    {
        return Some(format!("{value:?} is longer than {max}"));
    }
    if let Some(min) = num(&def["minLength"])
        && (value.chars().count() as f64) < min
    {
        return Some(format!("{value:?} is shorter than {min}"));
    }
    if let Some(options) = def["enum"].as_array()
        && !options.iter().any(|o| o == value)
    {
        return Some(format!("{value:?} is not one of {options:?}"));
    }
    if let Some(pattern) = def["pattern"].as_str()
        // Perl patterns that Rust's regex cannot read are left to the simulator's validation.
        && let Ok(re) = regex::Regex::new(&format!("^(?:{pattern})$"))
        && !re.is_match(value)
    {
        return Some(format!("{value:?} does not match {pattern}"));
    }
    if let Some(format) = def["format"].as_object() {
        return invalid_property_string(value, format);
    }
    None
}

/// `key=value,…`; a bare first item belongs to the format's `default_key`.
fn invalid_property_string(value: &str, format: &serde_json::Map<String, Value>) -> Option<String> {
    let default_key = format
        .iter()
        .find(|(_, d)| num(&d["default_key"]).is_some_and(|k| k != 0.0))
        .map(|(k, _)| k.as_str());
    for part in value.split(',') {
        let (key, item) = match part.split_once('=') {
            Some((k, v)) => (k, v),
            None => match default_key {
                Some(k) => (k, part),
                None => return Some(format!("{part:?} has no key and the format no default")),
            },
        };
        let Some(def) = format.get(key) else {
            return Some(format!("key {key:?} is not in the real format"));
        };
        if let Some(why) = invalid(item, def) {
            return Some(format!("{key}: {why}"));
        }
    }
    None
}

/// Every problem of `params` against the real properties of one method.
fn problems(file: &str, what: &str, params: &Params, props: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for key in params.keys() {
        // `net0` is declared as `net[n]`.
        let schema_key = key
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .to_owned()
            + if key.ends_with(|c: char| c.is_ascii_digit()) {
                "[n]"
            } else {
                ""
            };
        let Some(def) = props.get(key).or_else(|| props.get(&schema_key)) else {
            out.push(format!("{file}: {what}: no parameter {key:?}"));
            continue;
        };
        // Secrets are not readable through `get`; their presence was checked above.
        if let Some(value) = params.get(key)
            && let Some(why) = invalid(value, def)
        {
            out.push(format!("{file}: {what} {key}: {why}"));
        }
    }
    out
}

#[test]
fn request_values_are_valid_for_the_real_types() {
    let dir = Path::new(SCHEMA_DIR);
    if !dir.is_dir() {
        println!("SKIPPED value fidelity: {} is absent", dir.display());
        return;
    }
    let mut create = CreateLxc::new(123, "local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst");
    create.rootfs = Some("local-lvm:8".into());
    create.ssh_public_keys = Some("ssh-ed25519 AAAAC3Nza berth@host".into());
    create.start = Some(true);
    create.pool = Some("berth".into());
    create.options = full_options();
    let update = LxcConfigUpdate {
        set: full_options(),
        delete: vec!["net1".into(), "description".into()],
        digest: Some("0123456789abcdef0123456789abcdef01234567".into()),
    };
    let mut all = Vec::new();
    for file in ["apidata-pve9.json", "apidata-pve8.json"] {
        let tree: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
        let create_props = method_params(&tree, "/nodes/{node}/lxc", "POST").unwrap();
        let update_props = method_params(&tree, "/nodes/{node}/lxc/{vmid}/config", "PUT").unwrap();
        all.extend(problems(file, "create", &create.to_params(), &create_props));
        all.extend(problems(file, "update", &update.to_params(), &update_props));
    }
    assert!(
        all.is_empty(),
        "values the real API would refuse:\n{}",
        all.join("\n")
    );
}

/// The checker itself must be able to say no, or the test above proves nothing.
#[test]
fn the_value_checker_refuses_what_the_real_api_refuses() {
    let integer = serde_json::json!({"type": "integer", "minimum": 16});
    assert!(invalid("8", &integer).is_some());
    assert!(invalid("1.5", &integer).is_some());
    assert!(invalid("true", &serde_json::json!({"type": "boolean"})).is_some());
    let net = serde_json::json!({"type": "string", "format": {
        "name": {"type": "string", "default_key": 1},
        "tag": {"type": "integer", "minimum": 1, "maximum": 4094}
    }});
    assert!(invalid("name=eth0,tag=5000", &net).is_some());
    assert!(invalid("name=eth0,colour=red", &net).is_some());
    assert!(invalid("eth0,tag=7", &net).is_none());
}
