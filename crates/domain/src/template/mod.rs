//! Templates and package buckets: what a container becomes, and how every part is validated.

mod apps;
mod bucket;
mod names;
mod package;
mod placeholders;
mod problems;
mod spec;
mod validate;
mod views;

pub use apps::{AppAccess, AppLink};
pub use bucket::{BucketSummary, PackageBucket};
pub use names::slug_problem;
pub use package::PackageManager;
pub use placeholders::{fill_placeholders, input_value, placeholders};
pub use problems::{FieldProblem, Problems, message_at};
pub use spec::{
    HealthCheck, InputKind, Interpreter, Ipv4Mode, Ipv6Mode, NetworkDefaults, Resources,
    StaticAddress, TemplateFile, TemplateInput, TemplateScript, TemplateSpec,
};
pub use validate::{ICONS, os_template_problem};
pub use views::{DiffLine, TemplateDetail, TemplateSummary, TemplateVersionInfo};

#[cfg(test)]
mod tests;
