//! One template as one YAML file: `berth: template/v1`, the template, and the buckets it
//! installs, so a file exported from one Berth imports into another. Serialising is canonical:
//! parse → write gives back the same text for a file Berth wrote.

use crate::patterns::check_patterns;
use berth_domain::template::{FieldProblem, PackageBucket, Problems, TemplateSpec};
use serde::{Deserialize, Serialize};

/// The value of the `berth` key: names the format and its version.
pub const FORMAT: &str = "template/v1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateDocument {
    pub berth: String,
    pub template: TemplateSpec,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buckets: Vec<PackageBucket>,
}

/// Files larger than this are refused before parsing.
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;

impl TemplateDocument {
    pub fn new(template: TemplateSpec, buckets: Vec<PackageBucket>) -> Self {
        Self {
            berth: FORMAT.to_string(),
            template,
            buckets,
        }
    }

    /// Parses and validates a file. Every problem comes back, each with its path in the file;
    /// a file that is not readable YAML of this shape gives one problem with line and column.
    pub fn parse(text: &str) -> Result<Self, Vec<FieldProblem>> {
        if text.len() > MAX_DOCUMENT_BYTES {
            return Err(one("", "the file is larger than 4 MiB"));
        }
        let deserializer = serde_yaml_ng::Deserializer::from_str(text);
        let document: TemplateDocument =
            serde_path_to_error::deserialize(deserializer).map_err(|error| {
                let path = error.path().to_string();
                let inner = error.into_inner();
                let at = inner
                    .location()
                    .map(|l| format!(" (line {}, column {})", l.line(), l.column()))
                    .unwrap_or_default();
                let path = if path == "." { String::new() } else { path };
                one(&path, &format!("{}{at}", clean(&inner.to_string())))
            })?;
        document.validate()?;
        Ok(document)
    }

    /// Every rule: the format key, the template, each bucket, and that each bucket the file
    /// carries is one the template installs (at most once).
    pub fn validate(&self) -> Result<(), Vec<FieldProblem>> {
        let mut problems = Problems::new("");
        if self.berth != FORMAT {
            problems.add(
                "berth",
                format!(
                    "{:?} is not a format this Berth reads (expected {FORMAT:?})",
                    self.berth
                ),
            );
        }
        problems.nested("template", |p| {
            if let Err(found) = self.template.validate() {
                for f in found {
                    p.add(&f.path, f.message);
                }
            }
            for f in check_patterns(&self.template) {
                p.add(&f.path, f.message);
            }
        });
        for (i, bucket) in self.buckets.iter().enumerate() {
            problems.nested(&format!("buckets[{i}]"), |p| {
                bucket.check(p);
                if !self.template.buckets.contains(&bucket.name) {
                    p.add(
                        "name",
                        format!("the template does not install {:?}", bucket.name),
                    );
                } else if self.buckets[..i].iter().any(|b| b.name == bucket.name) {
                    p.add("name", format!("{:?} is defined twice", bucket.name));
                }
            });
        }
        problems.into_result()
    }

    /// The canonical YAML text.
    pub fn to_yaml(&self) -> String {
        // Serialising plain data to YAML cannot fail: no maps with non-string keys, no floats.
        serde_yaml_ng::to_string(self).unwrap_or_else(|e| format!("# cannot write: {e}\n"))
    }
}

fn one(path: &str, message: &str) -> Vec<FieldProblem> {
    vec![FieldProblem {
        path: path.to_string(),
        message: message.to_string(),
    }]
}

/// serde's messages name Rust-side things ("struct TemplateSpec"); say it in the file's terms.
fn clean(message: &str) -> String {
    let message = message.split(" at line ").next().unwrap_or(message);
    message
        .replace("struct TemplateDocument", "a template file")
        .replace("struct TemplateSpec", "a template")
        .replace("struct PackageBucket", "a bucket")
        .replace("variant", "value")
}
