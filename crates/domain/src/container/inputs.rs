//! Template input values: checked against the template's declarations, and handed to scripts as
//! environment variables.

use super::spec::ContainerSpec;
use crate::template::{InputKind, Problems, TemplateInput, TemplateSpec};

/// Longest value accepted for any input (a token or a certificate still fits).
pub const MAX_INPUT_CHARS: usize = 4096;

/// An input value to check against its `pattern`. The domain is regex-free (it runs in the
/// browser), so the server matches these and reports a mismatch at `path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternCheck<'a> {
    /// Where a mismatch is reported, e.g. `inputs.site_name`.
    pub path: String,
    /// Must match the whole value.
    pub pattern: &'a str,
    pub value: &'a str,
}

impl ContainerSpec {
    /// The values the server must match against their input's pattern; empty optional values
    /// are skipped because an unset input has nothing to match.
    pub fn pattern_checks<'a>(&'a self, template: &'a TemplateSpec) -> Vec<PatternCheck<'a>> {
        template
            .inputs
            .iter()
            .filter_map(|input| {
                let pattern = input.pattern.as_deref()?;
                let value = self.inputs.get(&input.name).filter(|v| !v.is_empty())?;
                Some(PatternCheck {
                    path: format!("inputs.{}", input.name),
                    pattern,
                    value,
                })
            })
            .collect()
    }

    /// The environment every template script runs with: each declared input as
    /// `BERTH_INPUT_<NAME>` (see [`input_env_name`]), in the template's order. An input left
    /// unset is present and empty, so scripts under `set -u` can test it rather than crash.
    pub fn input_env(&self, template: &TemplateSpec) -> Vec<(String, String)> {
        template
            .inputs
            .iter()
            .map(|input| {
                let value = self
                    .inputs
                    .get(&input.name)
                    .or(input.default.as_deref())
                    .unwrap_or_default();
                (input_env_name(&input.name), value.to_string())
            })
            .collect()
    }
}

/// `db_password` → `BERTH_INPUT_DB_PASSWORD`: upper-cased, anything but ASCII letters and
/// digits turned into `_`, so any name becomes a valid shell variable name.
pub fn input_env_name(name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("BERTH_INPUT_{name}")
}

/// Every declared input against its value, then every value the template does not declare.
pub(super) fn check_inputs(spec: &ContainerSpec, template: &TemplateSpec, problems: &mut Problems) {
    for input in &template.inputs {
        match spec.inputs.get(&input.name) {
            None | Some("") if input.required => problems.add(&input.name, "is required"),
            None | Some("") => {}
            Some(value) => {
                if let Some(problem) = value_problem(input, value) {
                    problems.add(&input.name, problem);
                }
            }
        }
    }
    for (name, _) in spec.inputs.iter() {
        if !template.inputs.iter().any(|i| i.name == name) {
            problems.add(
                name,
                format!("is not an input of template {:?}", template.name),
            );
        }
    }
}

fn value_problem(input: &TemplateInput, value: &str) -> Option<String> {
    if value.chars().count() > MAX_INPUT_CHARS {
        return Some(format!("is longer than {MAX_INPUT_CHARS} characters"));
    }
    // Values travel as environment variables, which cannot hold a NUL byte.
    if value.contains('\0') {
        return Some("may not contain a NUL character".into());
    }
    match input.kind {
        InputKind::String | InputKind::Secret => None,
        InputKind::Int => value
            .parse::<i64>()
            .is_err()
            .then(|| format!("{value:?} is not a whole number")),
        InputKind::Bool => {
            (!matches!(value, "true" | "false")).then(|| "must be true or false".to_string())
        }
        InputKind::Choice => (!input.choices.iter().any(|c| c == value)).then(|| {
            format!(
                "{value:?} is not one of the choices: {}",
                input.choices.join(", ")
            )
        }),
    }
}
