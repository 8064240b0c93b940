//! What only the server checks: that an input's pattern is a regular expression, and that its
//! default matches it (the browser has no regex engine in its bundle; the server decides).

use berth_domain::template::{FieldProblem, TemplateSpec};

/// The pattern must match the whole value: it is anchored as `^(?:pattern)$`.
pub fn compile(pattern: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
        .size_limit(1 << 20)
        .build()
        .map_err(|e| {
            let text = e.to_string();
            let last = text.lines().last().unwrap_or("").trim().to_string();
            format!("is not a valid regular expression ({last})")
        })
}

pub fn check_patterns(spec: &TemplateSpec) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    for (i, input) in spec.inputs.iter().enumerate() {
        let Some(pattern) = &input.pattern else {
            continue;
        };
        match compile(pattern) {
            Err(message) => problems.push(FieldProblem {
                path: format!("inputs[{i}].pattern"),
                message,
            }),
            Ok(regex) => {
                if let Some(default) = &input.default
                    && !regex.is_match(default)
                {
                    problems.push(FieldProblem {
                        path: format!("inputs[{i}].default"),
                        message: format!("{default:?} does not match the pattern"),
                    });
                }
            }
        }
    }
    problems
}
