//! Property strings (`name=eth0,bridge=vmbr0,ip=dhcp`): parsing and printing as pve-common does.

use super::{Params, Prop, Type, check_object, parse_bool};

/// Parses and checks a property string; the error text is what follows `invalid format - `.
pub fn parse_property_string(props: &[Prop], key: &str, data: &str) -> Result<Params, String> {
    let mut res = Params::new();
    let mut default_key: Option<&str> = None;
    for part in data.split(',') {
        if part.trim().is_empty() {
            continue;
        }
        match part.split_once('=') {
            Some((k, v)) if !k.is_empty() && !v.is_empty() => {
                if res.contains_key(k) {
                    return Err(format!(
                        "duplicate key in comma-separated list property: {k}\n"
                    ));
                }
                let is_bool = props.iter().any(|p| p.name == k && p.ty == Type::Boolean);
                // Booleans inside property strings accept yes/on/true and are stored as 1/0.
                let v = match parse_bool(v).filter(|_| is_bool) {
                    Some(b) => u8::from(b).to_string(),
                    None => v.to_string(),
                };
                res.insert(k.to_string(), v);
            }
            Some(_) => return Err("missing key in comma-separated list property\n".into()),
            None => {
                if let Some(dk) = default_key {
                    return Err(format!(
                        "duplicate key in comma-separated list property: {dk}\n"
                    ));
                }
                let Some(prop) = props.iter().find(|p| p.default_key) else {
                    return Err(
                        "value without key, but schema does not define a default key\n".into(),
                    );
                };
                default_key = Some(prop.name);
                if res.contains_key(prop.name) {
                    return Err(format!(
                        "duplicate key in comma-separated list property: {}\n",
                        prop.name
                    ));
                }
                res.insert(prop.name.to_string(), part.to_string());
            }
        }
    }
    let mut errors = super::Errors::new();
    check_object(key, props, &res, &mut errors);
    if errors.is_empty() {
        return Ok(res);
    }
    let mut msg = String::from("format error\n");
    for (k, v) in errors {
        msg.push_str(&format!("{k}: {v}\n"));
    }
    Err(msg)
}

/// Prints a property string the way PVE stores it: the default key (or `first`) first, the rest
/// sorted (pve-common `print_property_string`).
pub fn print_property_string(props: &[Prop], values: &Params, first: Option<&str>) -> String {
    let mut parts = Vec::new();
    let default = props.iter().find(|p| p.default_key).map(|p| p.name);
    if let Some(dk) = default
        && let Some(v) = values.get(dk)
    {
        parts.push(v.clone());
    }
    if let Some(f) = first
        && let Some(v) = values.get(f)
    {
        parts.push(format!("{f}={v}"));
    }
    for (k, v) in values {
        if Some(k.as_str()) == default || Some(k.as_str()) == first {
            continue;
        }
        parts.push(format!("{k}={v}"));
    }
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net() -> Vec<Prop> {
        vec![
            Prop::str("name").required(),
            Prop::str("bridge"),
            Prop::int("tag").range(Some(1.0), Some(4094.0)),
            Prop::bool("firewall"),
        ]
    }

    #[test]
    fn parses_and_reports_like_pve() {
        let ok = parse_property_string(&net(), "net0", "name=eth0,firewall=yes");
        assert_eq!(
            ok.ok().and_then(|p| p.get("firewall").cloned()).as_deref(),
            Some("1")
        );
        let err = parse_property_string(&net(), "net0", "bridge=vmbr0");
        assert_eq!(
            err.err().as_deref(),
            Some("format error\nnet0.name: property is missing and it is not optional\n")
        );
        let dup = parse_property_string(&net(), "net0", "name=a,name=b");
        assert_eq!(
            dup.err().as_deref(),
            Some("duplicate key in comma-separated list property: name\n")
        );
    }

    #[test]
    fn prints_required_key_first() {
        let mut v = Params::new();
        v.insert("name".into(), "eth0".into());
        v.insert("bridge".into(), "vmbr0".into());
        v.insert("type".into(), "veth".into());
        assert_eq!(
            print_property_string(&net(), &v, Some("name")),
            "name=eth0,bridge=vmbr0,type=veth"
        );
    }
}
