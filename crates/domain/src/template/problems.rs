//! Validation problems that name the field: `scripts[1].timeout_secs` and what is wrong with it.
//! The browser, the server and the YAML import all report through this one type.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    /// Dotted path from the document root, list items as `[i]`.
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Collects every problem of a document (not only the first) under a path prefix.
#[derive(Debug, Default)]
pub struct Problems {
    prefix: String,
    found: Vec<FieldProblem>,
}

impl Problems {
    pub fn new(prefix: &str) -> Self {
        Self {
            prefix: prefix.to_string(),
            found: Vec::new(),
        }
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        let path = join(&self.prefix, field);
        self.found.push(FieldProblem {
            path,
            message: message.into(),
        });
    }

    /// Checks a nested part under `field` (e.g. `files[2]`), keeping its problems.
    pub fn nested(&mut self, field: &str, check: impl FnOnce(&mut Problems)) {
        let mut inner = Problems::new(&join(&self.prefix, field));
        check(&mut inner);
        self.found.append(&mut inner.found);
    }

    pub fn into_result(self) -> Result<(), Vec<FieldProblem>> {
        if self.found.is_empty() {
            Ok(())
        } else {
            Err(self.found)
        }
    }

    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }
}

fn join(prefix: &str, field: &str) -> String {
    match (prefix.is_empty(), field.is_empty(), field.starts_with('[')) {
        (true, _, _) => field.to_string(),
        (false, true, _) => prefix.to_string(),
        (false, false, true) => format!("{prefix}{field}"),
        (false, false, false) => format!("{prefix}.{field}"),
    }
}

/// The first problem at exactly `path`, for showing beside a form field.
pub fn message_at<'a>(problems: &'a [FieldProblem], path: &str) -> Option<&'a str> {
    problems
        .iter()
        .find(|p| p.path == path)
        .map(|p| p.message.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_fields_and_indexes() {
        let mut problems = Problems::new("");
        problems.add("name", "is empty");
        problems.nested("files[2]", |p| p.add("mode", "is not octal"));
        problems.nested("resources", |p| {
            p.nested("", |p| p.add("cores", "too many"))
        });
        let found = problems.into_result().unwrap_err();
        let paths: Vec<_> = found.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["name", "files[2].mode", "resources.cores"]);
        assert_eq!(message_at(&found, "files[2].mode"), Some("is not octal"));
        assert_eq!(found[0].to_string(), "name: is empty");
    }
}
