//! Name rules for a container: host and domain names, node and storage ids, tags, mount paths.
//! Each follows what Proxmox accepts (PVE-API.md §4.7, §5), tightened where Proxmox would take
//! something that breaks later (a 64-character DNS label, an uppercase tag it silently lowers).

/// Berth's own tags (`berth-run-<id>`) start with this; a user's tag may not, so a tag always
/// tells truthfully which run made a container.
pub const RESERVED_TAG_PREFIX: &str = "berth-";

/// An RFC 1123 DNS name: labels of letters, digits and `-` (not at either end), 1–63 characters
/// each, 253 in all. Proxmox's `dns-name` skips the per-label limit; resolvers do not.
pub fn dns_name_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        return Some("is required".into());
    }
    if value.len() > 253 {
        return Some("is longer than 253 characters".into());
    }
    if let Some(bad) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-.".contains(*c)))
    {
        return Some(format!(
            "may only contain letters, digits, '-' and '.' (found {bad:?})"
        ));
    }
    for label in value.split('.') {
        if let Some(problem) = label_problem(label) {
            return Some(problem);
        }
    }
    // An all-digit last label reads as an IP address to resolvers (RFC 3696 §2).
    let last = value.rsplit('.').next().unwrap_or_default();
    if last.chars().all(|c| c.is_ascii_digit()) {
        return Some("must not end in a label of digits only".into());
    }
    None
}

fn label_problem(label: &str) -> Option<String> {
    if label.is_empty() {
        return Some("has an empty label (two dots, or a dot at either end)".into());
    }
    if label.len() > 63 {
        return Some(format!("the label {label:?} is longer than 63 characters"));
    }
    if let Some(bad) = label
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Some(format!(
            "may only contain letters, digits and '-' (found {bad:?})"
        ));
    }
    if label.starts_with('-') || label.ends_with('-') {
        return Some(format!("the label {label:?} starts or ends with '-'"));
    }
    None
}

/// A cluster node name (`pve-node`): one DNS label.
pub fn node_name_problem(value: &str) -> Option<String> {
    if value.contains('.') {
        return Some("is a node name such as pve1, not a domain name".into());
    }
    if value.is_empty() {
        return Some("is required (or let Berth choose the node)".into());
    }
    label_problem(value)
}

/// A storage id (`pve-storage-id`): a letter, then letters, digits, `-`, `_`, `.`, ending in a
/// letter or digit.
pub fn storage_id_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        return Some("is required".into());
    }
    let ok = value.len() >= 2
        && value.starts_with(|c: char| c.is_ascii_alphabetic())
        && value.ends_with(|c: char| c.is_ascii_alphanumeric())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    (!ok).then(|| format!("{value:?} is not a storage id such as local-lvm"))
}

/// A Proxmox tag (`[a-z0-9_][a-z0-9_\-+.]*`), lowercase because Proxmox stores it lowered and
/// the spec should say what the container gets.
pub fn tag_problem(tag: &str) -> Option<String> {
    if tag.is_empty() {
        return Some("is empty".into());
    }
    if tag.len() > 64 {
        return Some("is longer than 64 characters".into());
    }
    if tag.starts_with(['-', '+', '.']) {
        return Some("must start with a letter, a digit or '_'".into());
    }
    if tag.chars().any(|c| c.is_ascii_uppercase()) {
        return Some("must be lowercase (Proxmox stores tags lowercased)".into());
    }
    if let Some(bad) = tag
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || "_-+.".contains(*c)))
    {
        return Some(format!(
            "may only contain letters, digits, '_', '-', '+' and '.' (found {bad:?})"
        ));
    }
    if tag.starts_with(RESERVED_TAG_PREFIX) {
        return Some(format!(
            "the {RESERVED_TAG_PREFIX:?} prefix is reserved for Berth's own tags"
        ));
    }
    None
}

/// Where mounting a volume would hide what the container needs to boot.
const SYSTEM_PATHS: [&str; 4] = ["/proc", "/sys", "/dev", "/run"];

/// A mount point's path inside the container: absolute, normalized, not `/` or a kernel
/// filesystem, and free of what would break Proxmox's `mp` property string (`,`, `=`).
pub fn mount_path_problem(path: &str) -> Option<String> {
    if path.is_empty() {
        return Some("is required".into());
    }
    if !path.starts_with('/') {
        return Some("must be an absolute path such as /srv/data".into());
    }
    if path == "/" {
        return Some("cannot be / (that is the root disk)".into());
    }
    if path.len() > 4096 {
        return Some("is longer than 4096 characters".into());
    }
    if let Some(bad) = path
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || ",=;".contains(*c))
    {
        return Some(format!("may not contain {bad:?}"));
    }
    if path.ends_with('/')
        || path
            .split('/')
            .skip(1)
            .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return Some("must not have '.', '..', empty segments or a trailing '/'".into());
    }
    let system = SYSTEM_PATHS
        .iter()
        .find(|p| path == **p || path.starts_with(&format!("{p}/")));
    system.map(|p| format!("cannot be in {p}, which the container's system mounts itself"))
}
