//! Every rule a template must meet, reported all at once with the path of each problem. The same
//! code runs in the browser (as the form is filled in) and on the server (which decides).

use super::names::{slug_problem, text_problem, unix_name_problem};
use super::placeholders::placeholders;
use super::problems::{FieldProblem, Problems};
use super::spec::*;
use crate::net::{Cidr, bridge_problem, gateway_problem};

/// The icons the catalog can show (names of glyphs in the UI's icon set).
pub const ICONS: [&str; 10] = [
    "box", "server", "code", "database", "globe", "cpu", "chain", "rocket", "shield", "terminal",
];

pub const MAX_FILE_BYTES: usize = 1024 * 1024;
pub const MAX_SCRIPT_BYTES: usize = 256 * 1024;
pub const MAX_SCRIPT_TIMEOUT_SECS: u32 = 24 * 60 * 60;

impl TemplateSpec {
    pub fn validate(&self) -> Result<(), Vec<FieldProblem>> {
        let mut problems = Problems::new("");
        metadata(self, &mut problems);
        problems.nested("resources", |p| resources(&self.resources, p));
        problems.nested("network", |p| network(&self.network, p));
        for (i, bucket) in self.buckets.iter().enumerate() {
            let at = format!("buckets[{i}]");
            if let Some(problem) = slug_problem(bucket) {
                problems.add(&at, problem);
            } else if self.buckets[..i].contains(bucket) {
                problems.add(&at, format!("{bucket:?} is listed twice"));
            }
        }
        let input_names: Vec<&str> = self.inputs.iter().map(|i| i.name.as_str()).collect();
        for (i, f) in self.files.iter().enumerate() {
            let earlier = self.files[..i].iter().any(|e| e.path == f.path);
            problems.nested(&format!("files[{i}]"), |p| {
                file(f, earlier, &input_names, p)
            });
        }
        for (i, s) in self.scripts.iter().enumerate() {
            let earlier = self.scripts[..i].iter().any(|e| e.name == s.name);
            problems.nested(&format!("scripts[{i}]"), |p| script(s, earlier, p));
        }
        for (i, input) in self.inputs.iter().enumerate() {
            let earlier = self.inputs[..i].iter().any(|e| e.name == input.name);
            problems.nested(&format!("inputs[{i}]"), |p| self::input(input, earlier, p));
        }
        if let Some(check) = &self.health_check {
            problems.nested("health_check", |p| health_check(check, p));
        }
        super::apps::validate(self, &mut problems);
        problems.into_result()
    }
}

fn metadata(spec: &TemplateSpec, problems: &mut Problems) {
    if let Some(problem) = slug_problem(&spec.name) {
        problems.add("name", problem);
    }
    if let Some(problem) = text_problem(&spec.title, 80) {
        problems.add("title", problem);
    }
    if spec.description.chars().count() > 2000 {
        problems.add("description", "is longer than 2000 characters");
    }
    if !spec.icon.is_empty() && !ICONS.contains(&spec.icon.as_str()) {
        problems.add(
            "icon",
            format!("{:?} is not one of {}", spec.icon, ICONS.join(", ")),
        );
    }
    if !spec.category.is_empty()
        && let Some(problem) = slug_problem(&spec.category)
    {
        problems.add("category", problem);
    }
    if spec.tags.len() > 20 {
        problems.add("tags", "has more than 20 tags");
    }
    for (i, tag) in spec.tags.iter().enumerate() {
        if let Some(problem) = slug_problem(tag) {
            problems.add(&format!("tags[{i}]"), problem);
        } else if spec.tags[..i].contains(tag) {
            problems.add(&format!("tags[{i}]"), format!("{tag:?} is listed twice"));
        }
    }
    if let Some(problem) = os_template_problem(&spec.os_template) {
        problems.add("os_template", problem);
    }
}

/// A vztmpl volume id: `storage:vztmpl/file.tar.{gz,xz,zst}`.
pub fn os_template_problem(volid: &str) -> Option<String> {
    let Some((storage, path)) = volid.split_once(':') else {
        return Some(
            "must be a volume id such as local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
                .into(),
        );
    };
    let storage_ok = storage.starts_with(|c: char| c.is_ascii_alphabetic())
        && storage
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    let file = path.strip_prefix("vztmpl/").unwrap_or_default();
    let file_ok = !file.is_empty()
        && !file.contains('/')
        && file
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.+".contains(c))
        && [".tar.gz", ".tar.xz", ".tar.zst", ".tgz"]
            .iter()
            .any(|ext| file.ends_with(ext));
    if !storage_ok {
        Some(format!("{storage:?} is not a storage id"))
    } else if !file_ok {
        Some(
            "must name a container template archive: <storage>:vztmpl/<name>.tar.{gz,xz,zst}"
                .into(),
        )
    } else {
        None
    }
}

fn resources(r: &Resources, problems: &mut Problems) {
    if !(1..=8192).contains(&r.cores) {
        problems.add("cores", "must be between 1 and 8192");
    }
    if r.memory_mib < 16 {
        problems.add("memory_mib", "must be at least 16 MiB");
    }
    if r.memory_mib > 4 * 1024 * 1024 {
        problems.add("memory_mib", "must be at most 4 TiB");
    }
    if r.swap_mib > 4 * 1024 * 1024 {
        problems.add("swap_mib", "must be at most 4 TiB");
    }
    if !(1..=131_072).contains(&r.disk_gib) {
        problems.add("disk_gib", "must be between 1 and 131072 GiB");
    }
}

fn network(n: &NetworkDefaults, problems: &mut Problems) {
    if let Some(problem) = bridge_problem(&n.bridge) {
        problems.add("bridge", problem);
    }
    if let Some(vlan) = n.vlan
        && !(1..=4094).contains(&vlan)
    {
        problems.add("vlan", "must be between 1 and 4094");
    }
    if let Some(fixed) = n.ipv4.static_address() {
        static_address(fixed, true, "ipv4", problems);
    }
    if let Some(fixed) = n.ipv6.static_address() {
        static_address(fixed, false, "ipv6", problems);
    }
}

fn static_address(fixed: &StaticAddress, v4: bool, at: &str, problems: &mut Problems) {
    let gateway = fixed.gateway.as_deref();
    match Cidr::parse(&fixed.address) {
        Err(problem) => problems.add(&format!("{at}.address"), problem),
        Ok(cidr) if cidr.address.is_ipv4() != v4 => problems.add(
            &format!("{at}.address"),
            format!("is not an {} address", if v4 { "IPv4" } else { "IPv6" }),
        ),
        Ok(cidr) => {
            if let Some(problem) = gateway.and_then(|gw| gateway_problem(&cidr, gw)) {
                problems.add(&format!("{at}.gateway"), problem);
            }
        }
    }
}

fn file(f: &TemplateFile, duplicate: bool, inputs: &[&str], problems: &mut Problems) {
    let path_ok = f.path.starts_with('/')
        && f.path.len() > 1
        && !f.path.ends_with('/')
        && f.path.len() <= 4096
        && !f.path.contains('\0')
        && f.path
            .split('/')
            .skip(1)
            .all(|s| !s.is_empty() && s != "." && s != "..");
    if !path_ok {
        problems.add(
            "path",
            "must be an absolute file path without '.', '..' or empty segments",
        );
    } else if duplicate {
        problems.add("path", format!("{} is managed twice", f.path));
    }
    let mode_ok =
        (3..=4).contains(&f.mode.len()) && f.mode.chars().all(|c| ('0'..='7').contains(&c));
    if !mode_ok {
        problems.add("mode", "must be octal such as 0644");
    }
    let (user, group) = match f.owner.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (f.owner.as_str(), None),
    };
    if let Some(problem) = unix_name_problem(user).or_else(|| group.and_then(unix_name_problem)) {
        problems.add("owner", format!("must be user or user:group ({problem})"));
    }
    if f.content.len() > MAX_FILE_BYTES {
        problems.add("content", "is larger than 1 MiB");
    }
    for name in placeholders(&f.content) {
        if !inputs.contains(&name) {
            problems.add(
                "content",
                format!("uses {{{{{name}}}}}, which is not an input"),
            );
        }
    }
}

fn script(s: &TemplateScript, duplicate: bool, problems: &mut Problems) {
    if let Some(problem) = text_problem(&s.name, 64) {
        problems.add("name", problem);
    } else if duplicate {
        problems.add("name", format!("{:?} is used by an earlier script", s.name));
    }
    if let Some(problem) = unix_name_problem(&s.run_as) {
        problems.add("run_as", problem);
    }
    if !(1..=MAX_SCRIPT_TIMEOUT_SECS).contains(&s.timeout_secs) {
        problems.add("timeout_secs", "must be between 1 second and 24 hours");
    }
    if s.content.trim().is_empty() {
        problems.add("content", "is empty");
    } else if s.content.len() > MAX_SCRIPT_BYTES {
        problems.add("content", "is larger than 256 KiB");
    }
}

fn input(input: &TemplateInput, duplicate: bool, problems: &mut Problems) {
    let name_ok = input.name.starts_with(|c: char| c.is_ascii_lowercase())
        && input.name.len() <= 64
        && input
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !name_ok {
        problems.add(
            "name",
            "must be lowercase letters, digits and '_', starting with a letter",
        );
    } else if duplicate {
        problems.add(
            "name",
            format!("{:?} is used by an earlier input", input.name),
        );
    }
    if let Some(problem) = text_problem(&input.label, 80) {
        problems.add("label", problem);
    }
    let choice = input.kind == InputKind::Choice;
    if choice && input.choices.is_empty() {
        problems.add("choices", "a choice input needs at least one choice");
    }
    if !choice && !input.choices.is_empty() {
        problems.add("choices", "only a choice input has choices");
    }
    if let Some(pattern) = &input.pattern
        && (!matches!(input.kind, InputKind::String | InputKind::Secret)
            || pattern.is_empty()
            || pattern.len() > 500)
    {
        problems.add(
            "pattern",
            "only a string or secret input has a pattern (1–500 characters)",
        );
    }
    if let Some(default) = &input.default {
        let problem = match input.kind {
            InputKind::Secret => Some("a secret input cannot have a default".to_string()),
            InputKind::Int => default
                .parse::<i64>()
                .err()
                .map(|_| format!("{default:?} is not a whole number")),
            InputKind::Bool => (!matches!(default.as_str(), "true" | "false"))
                .then(|| "must be true or false".to_string()),
            InputKind::Choice => (!input.choices.contains(default))
                .then(|| format!("{default:?} is not one of the choices")),
            InputKind::String => (default.chars().count() > 1000)
                .then(|| "is longer than 1000 characters".to_string()),
        };
        if let Some(problem) = problem {
            problems.add("default", problem);
        }
    }
}

fn health_check(check: &HealthCheck, problems: &mut Problems) {
    match check {
        HealthCheck::Tcp { port } | HealthCheck::Http { port, .. } if *port == 0 => {
            problems.add("port", "must be between 1 and 65535");
        }
        HealthCheck::Http { path, .. } if !path.starts_with('/') => {
            problems.add("path", "must start with '/'");
        }
        HealthCheck::Command { command } => {
            if let Some(problem) = text_problem(command, 1000) {
                problems.add("command", problem);
            }
        }
        _ => {}
    }
}
