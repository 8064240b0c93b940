//! A description of every served method and parameter, for the schema-fidelity test.

use super::ROUTES;
use crate::schema::{Format, Prop, Type};

/// Every method served, for the schema-fidelity test that checks it against the real API dumps.
pub fn served() -> Vec<ServedMethod> {
    ROUTES
        .iter()
        .map(|r| ServedMethod {
            method: r.method.to_string(),
            path: r.path.to_string(),
            params: r.params.iter().map(ServedParam::from).collect(),
        })
        .collect()
}

/// One API method the simulator serves.
#[derive(Debug, Clone)]
pub struct ServedMethod {
    pub method: String,
    /// The template as the API dump writes it (`/nodes/{node}/lxc/{vmid}`).
    pub path: String,
    pub params: Vec<ServedParam>,
}

/// One parameter as the simulator's schema declares it.
#[derive(Debug, Clone)]
pub struct ServedParam {
    /// As the dump writes it (`net[n]`).
    pub name: String,
    /// `integer`, `number`, `boolean` or `string`.
    pub ty: &'static str,
    pub optional: bool,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub max_length: Option<usize>,
    pub min_length: Option<usize>,
    pub enumeration: Option<Vec<String>>,
    /// The keys of a property string (`net[n]`: `name`, `bridge`, …).
    pub sub: Vec<ServedParam>,
}

impl From<&Prop> for ServedParam {
    fn from(p: &Prop) -> Self {
        Self {
            name: p.name.to_string(),
            ty: match p.ty {
                Type::Integer => "integer",
                Type::Number => "number",
                Type::Boolean => "boolean",
                Type::String => "string",
            },
            optional: p.optional,
            minimum: p.minimum,
            maximum: p.maximum,
            max_length: p.max_len,
            min_length: p.min_len,
            enumeration: p
                .enumeration
                .map(|e| e.iter().map(|v| v.to_string()).collect()),
            sub: match &p.format {
                Some(Format::PropString(props)) => props.iter().map(ServedParam::from).collect(),
                _ => Vec::new(),
            },
        }
    }
}
