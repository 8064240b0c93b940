//! What only the server checks: that an input's pattern is a regular expression, and that its
//! default matches it (the browser has no regex engine in its bundle; the server decides).

use berth_domain::container::PatternCheck;
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

/// A container spec's input values against their inputs' patterns (see
/// `ContainerSpec::pattern_checks`); a mismatch is reported at the input's path. A pattern that
/// does not compile refuses its value too: the template is broken, not the value.
pub fn check_input_values(checks: &[PatternCheck<'_>]) -> Vec<FieldProblem> {
    checks
        .iter()
        .filter_map(|check| {
            let message = match compile(check.pattern) {
                Ok(regex) if regex.is_match(check.value) => return None,
                Ok(_) => format!("does not match the pattern {}", check.pattern),
                Err(problem) => format!("cannot be checked: the template's pattern {problem}"),
            };
            Some(FieldProblem {
                path: check.path.clone(),
                message,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_values_must_match_their_whole_pattern() {
        let check = |pattern, value| PatternCheck {
            path: "inputs.site".into(),
            pattern,
            value,
        };
        assert!(check_input_values(&[check("[a-z]+", "blog")]).is_empty());
        let problems = check_input_values(&[check("[a-z]+", "blog!"), check("(", "x")]);
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].path, "inputs.site");
        assert!(problems[0].message.contains("does not match"));
        assert!(problems[1].message.contains("cannot be checked"));
    }
}
