//! Every rule a container spec must meet, all problems at once, each at the path of the wizard
//! field it belongs to. The browser runs it as the form is filled in; the server decides with it
//! (then adds what needs the world: patterns, free VMIDs, room on the storage).

use super::access::check_access;
use super::inputs::check_inputs;
use super::names::{dns_name_problem, node_name_problem, storage_id_problem, tag_problem};
use super::network::check_network;
use super::spec::*;
use crate::template::{FieldProblem, Problems, TemplateSpec};

pub const MIN_VMID: u32 = 100;
pub const MAX_VMID: u32 = 999_999_999;
pub const MAX_CORES: u16 = 8192;
pub const MIN_MEMORY_MIB: u32 = 16;
/// Far above any node today; it only catches a unit mix-up (GiB typed as MiB and the like).
pub const MAX_MEMORY_MIB: u32 = 4 * 1024 * 1024;
pub const MAX_DISK_GIB: u32 = 128 * 1024;
/// Proxmox numbers mount points `mp0`…`mp255`.
pub const MAX_MOUNT_POINTS: usize = 256;
pub const MAX_TAGS: usize = 20;

impl ContainerSpec {
    /// Checks the spec against the template version it names; `template` must be that version.
    pub fn validate(&self, template: &TemplateSpec) -> Result<(), Vec<FieldProblem>> {
        let mut problems = Problems::new("");
        problems.nested("template", |p| template_ref(&self.template, template, p));
        problems.nested("identity", |p| identity(&self.identity, p));
        problems.nested("resources", |p| resources(&self.resources, p));
        problems.nested("storage", |p| storage(&self.storage, p));
        problems.nested("network", |p| check_network(&self.network, p));
        problems.nested("access", |p| check_access(&self.access, p));
        problems.nested("inputs", |p| check_inputs(self, template, p));
        problems.into_result()
    }
}

fn template_ref(reference: &TemplateRef, template: &TemplateSpec, problems: &mut Problems) {
    if reference.name != template.name {
        problems.add(
            "name",
            format!(
                "is {:?}, but the spec was checked against template {:?}",
                reference.name, template.name
            ),
        );
    }
    if reference.version < 1 {
        problems.add("version", "must be 1 or more");
    }
}

fn identity(identity: &Identity, problems: &mut Problems) {
    if let Some(problem) = dns_name_problem(&identity.hostname) {
        problems.add("hostname", problem);
    }
    if let VmidChoice::Chosen(vmid) = identity.vmid
        && !(MIN_VMID..=MAX_VMID).contains(&vmid)
    {
        problems.add("vmid", format!("must be between {MIN_VMID} and {MAX_VMID}"));
    }
    if let NodeChoice::Named(node) = &identity.node
        && let Some(problem) = node_name_problem(node)
    {
        problems.add("node", problem);
    }
    if identity.tags.len() > MAX_TAGS {
        problems.add("tags", format!("has more than {MAX_TAGS} tags"));
    }
    for (i, tag) in identity.tags.iter().enumerate() {
        let at = format!("tags[{i}]");
        if let Some(problem) = tag_problem(tag) {
            problems.add(&at, problem);
        } else if identity.tags[..i].contains(tag) {
            problems.add(&at, format!("{tag:?} is listed twice"));
        }
    }
}

fn resources(r: &Resources, problems: &mut Problems) {
    if !(1..=MAX_CORES).contains(&r.cores) {
        problems.add("cores", format!("must be between 1 and {MAX_CORES}"));
    }
    if !(MIN_MEMORY_MIB..=MAX_MEMORY_MIB).contains(&r.memory_mib) {
        problems.add(
            "memory_mib",
            format!("must be between {MIN_MEMORY_MIB} MiB and 4 TiB"),
        );
    }
    if r.swap_mib > MAX_MEMORY_MIB {
        problems.add("swap_mib", "must be at most 4 TiB");
    }
    // Proxmox lets only root@pam enable nesting on a privileged container; Berth uses a token.
    if r.nesting && !r.unprivileged {
        problems.add("nesting", "needs an unprivileged container");
    }
}

fn storage(s: &Storage, problems: &mut Problems) {
    problems.nested("rootfs", |p| {
        volume(&s.rootfs.storage, s.rootfs.size_gib, p)
    });
    if s.mount_points.len() > MAX_MOUNT_POINTS {
        problems.add(
            "mount_points",
            format!("has more than {MAX_MOUNT_POINTS} mount points"),
        );
    }
    for (i, mp) in s.mount_points.iter().enumerate() {
        let earlier = s.mount_points[..i].iter().any(|e| e.path == mp.path);
        problems.nested(&format!("mount_points[{i}]"), |p| {
            volume(&mp.storage, mp.size_gib, p);
            if let Some(problem) = super::names::mount_path_problem(&mp.path) {
                p.add("path", problem);
            } else if earlier {
                p.add("path", format!("{} is already a mount point", mp.path));
            }
        });
    }
}

fn volume(storage: &str, size_gib: u32, problems: &mut Problems) {
    if let Some(problem) = storage_id_problem(storage) {
        problems.add("storage", problem);
    }
    if !(1..=MAX_DISK_GIB).contains(&size_gib) {
        problems.add(
            "size_gib",
            format!("must be between 1 and {MAX_DISK_GIB} GiB"),
        );
    }
}
