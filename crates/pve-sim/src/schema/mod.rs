//! The subset of Proxmox's JSON-schema dialect the simulator's parameters use, and its validator.
//!
//! The check order and the error texts follow pve-common `PVE/JSONSchema.pm::check_prop`
//! (type → format → pattern → maxLength → minLength → maximum → minimum → enum; first failure wins).

mod formats;
mod propstring;

use std::collections::BTreeMap;

pub use formats::{Named, disk_size_bytes};
pub use propstring::{parse_property_string, print_property_string};

/// Parameters as they reach a handler: every scalar as the string Perl would see.
pub type Params = BTreeMap<String, String>;
/// Validation errors keyed by parameter name, exactly as they appear in the `errors` body.
pub type Errors = BTreeMap<String, String>;

/// The JSON-schema type of a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Integer,
    Number,
    Boolean,
    String,
}

/// A property's format: a named format implemented in code, or an inline property string.
#[derive(Debug, Clone)]
pub enum Format {
    Named(Named),
    PropString(Vec<Prop>),
}

/// One property of a parameter object or of a property string.
#[derive(Debug, Clone)]
pub struct Prop {
    /// The schema name; indexed keys are written like the API dump does (`net[n]`).
    pub name: &'static str,
    pub ty: Type,
    pub optional: bool,
    /// For `net[n]`: how many indices exist (`net0`…`net31`).
    pub indexed: Option<u32>,
    pub format: Option<Format>,
    pub pattern: Option<regex::Regex>,
    pub max_len: Option<usize>,
    pub min_len: Option<usize>,
    pub maximum: Option<f64>,
    pub minimum: Option<f64>,
    pub enumeration: Option<&'static [&'static str]>,
    /// The key a bare value in a property string belongs to (`rootfs=local-lvm:8`).
    pub default_key: bool,
}

impl Prop {
    fn new(name: &'static str, ty: Type) -> Self {
        Self {
            name,
            ty,
            optional: true,
            indexed: None,
            format: None,
            pattern: None,
            max_len: None,
            min_len: None,
            maximum: None,
            minimum: None,
            enumeration: None,
            default_key: false,
        }
    }
    pub fn int(name: &'static str) -> Self {
        Self::new(name, Type::Integer)
    }
    pub fn num(name: &'static str) -> Self {
        Self::new(name, Type::Number)
    }
    pub fn bool(name: &'static str) -> Self {
        Self::new(name, Type::Boolean)
    }
    pub fn str(name: &'static str) -> Self {
        Self::new(name, Type::String)
    }
    pub fn required(mut self) -> Self {
        self.optional = false;
        self
    }
    pub fn indexed(mut self, count: u32) -> Self {
        self.indexed = Some(count);
        self
    }
    pub fn fmt(mut self, named: Named) -> Self {
        self.format = Some(Format::Named(named));
        self
    }
    pub fn props(mut self, props: Vec<Prop>) -> Self {
        self.format = Some(Format::PropString(props));
        self
    }
    /// A Perl pattern; PVE anchors it as `^(?:…)$`.
    pub fn pattern(mut self, re: &str) -> Self {
        // Built-in patterns only: a bad one is a programming error the unit tests catch.
        let anchored = format!("^(?:{re})$");
        self.pattern =
            Some(regex::Regex::new(&anchored).unwrap_or_else(|e| panic!("bad pattern {re}: {e}")));
        self
    }
    pub fn max_len(mut self, n: usize) -> Self {
        self.max_len = Some(n);
        self
    }
    pub fn min_len(mut self, n: usize) -> Self {
        self.min_len = Some(n);
        self
    }
    pub fn range(mut self, min: Option<f64>, max: Option<f64>) -> Self {
        self.minimum = min;
        self.maximum = max;
        self
    }
    pub fn one_of(mut self, values: &'static [&'static str]) -> Self {
        self.enumeration = Some(values);
        self
    }
    pub fn default_key(mut self) -> Self {
        self.default_key = true;
        self
    }

    /// Whether a concrete key (`net3`) is this property.
    pub fn matches(&self, key: &str) -> bool {
        match self.indexed {
            None => key == self.name,
            Some(count) => {
                let base = self.name.trim_end_matches("[n]");
                key.strip_prefix(base)
                    .filter(|idx| !idx.is_empty() && idx.bytes().all(|b| b.is_ascii_digit()))
                    .filter(|idx| !(idx.len() > 1 && idx.starts_with('0')))
                    .and_then(|idx| idx.parse::<u32>().ok())
                    .is_some_and(|i| i < count)
            }
        }
    }
}

/// Finds the schema property for a concrete key.
pub fn find<'a>(props: &'a [Prop], key: &str) -> Option<&'a Prop> {
    props.iter().find(|p| p.matches(key))
}

/// Validates a parameter object (pve-common `check_object` with `additionalProperties: 0`).
pub fn validate(props: &[Prop], params: &Params) -> Errors {
    let mut errors = Errors::new();
    check_object("", props, params, &mut errors);
    errors
}

pub(crate) fn check_object(prefix: &str, props: &[Prop], values: &Params, errors: &mut Errors) {
    let path = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    for prop in props.iter().filter(|p| !p.optional && p.indexed.is_none()) {
        if !values.contains_key(prop.name) {
            errors.insert(
                path(prop.name),
                "property is missing and it is not optional".into(),
            );
        }
    }
    for (key, value) in values {
        match find(props, key) {
            Some(prop) => {
                if let Err(msg) = check_prop(prop, key, value) {
                    errors.insert(path(key), msg);
                }
            }
            None => {
                errors.insert(
                    path(key),
                    "property is not defined in schema and the schema does not allow additional properties"
                        .into(),
                );
            }
        }
    }
}

fn check_prop(prop: &Prop, key: &str, value: &str) -> Result<(), String> {
    check_type(prop.ty, value)?;
    match &prop.format {
        Some(Format::Named(named)) => {
            named
                .check(value)
                .map_err(|msg| format!("invalid format - {msg}\n"))?;
        }
        Some(Format::PropString(sub)) => {
            parse_property_string(sub, key, value)
                .map_err(|msg| format!("invalid format - {msg}"))?;
        }
        None => {}
    }
    if let Some(re) = &prop.pattern
        && !re.is_match(value)
    {
        return Err("value does not match the regex pattern".into());
    }
    let chars = value.chars().count();
    if let Some(max) = prop.max_len.filter(|m| chars > *m) {
        return Err(format!("value may only be {max} characters long"));
    }
    if let Some(min) = prop.min_len.filter(|m| chars < *m) {
        return Err(format!("value must be at least {min} characters long"));
    }
    if matches!(prop.ty, Type::Integer | Type::Number) {
        let n: f64 = value.parse().unwrap_or(0.0);
        if let Some(max) = prop.maximum.filter(|m| n > *m) {
            return Err(format!(
                "value must have a maximum value of {}",
                fmt_num(max)
            ));
        }
        if let Some(min) = prop.minimum.filter(|m| n < *m) {
            return Err(format!(
                "value must have a minimum value of {}",
                fmt_num(min)
            ));
        }
    }
    if let Some(values) = prop.enumeration
        && !values.contains(&value)
    {
        return Err(format!(
            "value '{value}' does not have a value in the enumeration '{}'",
            values.join(", ")
        ));
    }
    Ok(())
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

fn check_type(ty: Type, value: &str) -> Result<(), String> {
    let ok = match ty {
        Type::String => true,
        // Form bodies carry booleans as exactly 1/0; JSON true/false were turned into those.
        Type::Boolean => value == "1" || value == "0",
        Type::Integer => {
            let digits = value.strip_prefix('-').unwrap_or(value);
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        }
        Type::Number => is_number(value),
    };
    if ok {
        Ok(())
    } else {
        let name = match ty {
            Type::String => "string",
            Type::Boolean => "boolean",
            Type::Integer => "integer",
            Type::Number => "number",
        };
        Err(format!("type check ('{name}') failed - got '{value}'"))
    }
}

fn is_number(value: &str) -> bool {
    let v = value.strip_prefix(['+', '-']).unwrap_or(value);
    let (mantissa, exp) = match v.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (v, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((i, f)) => {
            (!i.is_empty() || !f.is_empty())
                && i.bytes().all(|b| b.is_ascii_digit())
                && f.bytes().all(|b| b.is_ascii_digit())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit()),
    };
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exp_ok
}

/// Parses PVE's lenient boolean of property strings (`1|on|yes|true`, `0|off|no|false`).
pub fn parse_bool(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "on" | "yes" | "true" => Some(true),
        "0" | "off" | "no" | "false" => Some(false),
        _ => None,
    }
}

/// The typed JSON value of a stored string, following the schema type (how PVE prints configs).
pub fn typed(prop: Option<&Prop>, value: &str) -> serde_json::Value {
    match prop.map(|p| p.ty) {
        Some(Type::Integer | Type::Boolean) => value
            .parse::<i64>()
            .map(serde_json::Value::from)
            .unwrap_or_else(|_| value.into()),
        Some(Type::Number) => value
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(serde_json::Value::Number)
            .unwrap_or_else(|| value.into()),
        _ => value.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert!(is_number("1.5"));
        assert!(is_number("-2"));
        assert!(is_number("1e3"));
        assert!(!is_number("abc"));
        assert!(!is_number("."));
    }

    #[test]
    fn indexed_keys() {
        let p = Prop::str("net[n]").indexed(32);
        assert!(p.matches("net0"));
        assert!(p.matches("net31"));
        assert!(!p.matches("net32"));
        assert!(!p.matches("net01"));
        assert!(!p.matches("net"));
    }
}
