//! What only Proxmox knows: whether a chosen VMID is free, whether a named node exists, and
//! whether the storages have room. One `/cluster/resources` read answers all three. Proxmox
//! being unreachable does not refuse the run: the pipeline checks again before it creates.

use berth_domain::container::{ContainerSpec, NodeChoice, VmidChoice};
use berth_domain::template::FieldProblem;
use berth_pve::PveClient;
use berth_pve::types::ClusterResource;
use std::collections::BTreeMap;

const GIB: u64 = 1024 * 1024 * 1024;

pub async fn against_proxmox(pve: &PveClient, spec: &ContainerSpec) -> Vec<FieldProblem> {
    match pve.cluster_resources(None).await {
        Ok(resources) => check(&resources, spec),
        Err(error) => {
            tracing::warn!(%error, "cannot ask Proxmox VE about the new container; the run checks later");
            Vec::new()
        }
    }
}

/// The checks on a snapshot of the cluster's resources.
pub fn check(resources: &[ClusterResource], spec: &ContainerSpec) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    let mut add = |path: &str, message: String| {
        problems.push(FieldProblem {
            path: path.to_string(),
            message,
        })
    };
    if let VmidChoice::Chosen(vmid) = spec.identity.vmid
        && let Some(guest) = resources.iter().find(|r| r.vmid == Some(vmid))
    {
        add(
            "identity.vmid",
            format!(
                "VMID {vmid} is already used by {} {} on node {}",
                guest.kind,
                guest.name.as_deref().unwrap_or("(unnamed)"),
                guest.node.as_deref().unwrap_or("?")
            ),
        );
    }
    let node = match &spec.identity.node {
        NodeChoice::Named(node) => Some(node.as_str()),
        NodeChoice::Auto => None,
    };
    if let Some(node) = node
        && !resources
            .iter()
            .any(|r| r.kind == "node" && r.node.as_deref() == Some(node))
    {
        add(
            "identity.node",
            format!("there is no node {node:?} in the cluster"),
        );
        return problems;
    }
    for (storage, (path, gib)) in needed_gib(spec) {
        if let Some(message) = room_problem(resources, node, &storage, gib) {
            add(&path, message);
        }
    }
    problems
}

/// GiB needed per storage, with the path of the first field that names it.
fn needed_gib(spec: &ContainerSpec) -> BTreeMap<String, (String, u64)> {
    let rootfs = &spec.storage.rootfs;
    let volumes = std::iter::once((
        "storage.rootfs.storage".to_string(),
        &rootfs.storage,
        rootfs.size_gib,
    ))
    .chain(spec.storage.mount_points.iter().enumerate().map(|(i, mp)| {
        (
            format!("storage.mount_points[{i}].storage"),
            &mp.storage,
            mp.size_gib,
        )
    }));
    let mut needed: BTreeMap<String, (String, u64)> = BTreeMap::new();
    for (path, storage, gib) in volumes {
        needed.entry(storage.clone()).or_insert((path, 0)).1 += u64::from(gib);
    }
    needed
}

/// Refused when no node (the named one, or any) has the storage with `gib` free.
fn room_problem(
    resources: &[ClusterResource],
    node: Option<&str>,
    storage: &str,
    gib: u64,
) -> Option<String> {
    let candidates: Vec<&ClusterResource> = resources
        .iter()
        .filter(|r| r.kind == "storage" && r.storage.as_deref() == Some(storage))
        .filter(|r| node.is_none() || r.node.as_deref() == node)
        .collect();
    if candidates.is_empty() {
        return Some(match node {
            Some(node) => format!("node {node} has no storage {storage:?}"),
            None => format!("there is no storage {storage:?} in the cluster"),
        });
    }
    let free = candidates
        .iter()
        .filter_map(|r| Some(r.maxdisk?.saturating_sub(r.disk.unwrap_or(0))))
        .max();
    match free {
        Some(free) if free < gib * GIB => Some(format!(
            "{storage} has {} GiB free, {gib} GiB are needed",
            free / GIB
        )),
        // No numbers (no Datastore.Audit, or an inactive storage): the pipeline will find out.
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_domain::container::MountPoint;
    use berth_domain::template::TemplateSpec;

    fn resource(json: serde_json::Value) -> ClusterResource {
        serde_json::from_value(json).unwrap()
    }

    fn cluster() -> Vec<ClusterResource> {
        vec![
            resource(serde_json::json!({"id": "node/pve1", "type": "node", "node": "pve1"})),
            resource(
                serde_json::json!({"id": "lxc/105", "type": "lxc", "node": "pve1", "vmid": 105, "name": "db1"}),
            ),
            resource(
                serde_json::json!({"id": "storage/pve1/local-lvm", "type": "storage", "node": "pve1",
                "storage": "local-lvm", "disk": 90 * GIB, "maxdisk": 100 * GIB}),
            ),
        ]
    }

    fn spec() -> ContainerSpec {
        let mut spec = ContainerSpec::from_template(&TemplateSpec::blank(), 1);
        spec.storage.rootfs.storage = "local-lvm".into();
        spec.storage.rootfs.size_gib = 8;
        spec
    }

    fn paths(problems: &[FieldProblem]) -> Vec<&str> {
        problems.iter().map(|p| p.path.as_str()).collect()
    }

    #[test]
    fn a_free_vmid_on_a_storage_with_room_passes() {
        let mut spec = spec();
        spec.identity.vmid = VmidChoice::Chosen(106);
        spec.identity.node = NodeChoice::Named("pve1".into());
        assert_eq!(check(&cluster(), &spec), vec![]);
    }

    #[test]
    fn a_used_vmid_an_unknown_node_and_a_full_storage_are_named() {
        let mut spec = spec();
        spec.identity.vmid = VmidChoice::Chosen(105);
        let problems = check(&cluster(), &spec);
        assert_eq!(paths(&problems), ["identity.vmid"]);
        assert!(problems[0].message.contains("db1"), "{problems:?}");

        spec.identity.node = NodeChoice::Named("pve9".into());
        assert_eq!(
            paths(&check(&cluster(), &spec)),
            ["identity.vmid", "identity.node"]
        );

        let mut spec = self::spec();
        spec.storage.mount_points.push(MountPoint {
            storage: "local-lvm".into(),
            size_gib: 4,
            path: "/data".into(),
        });
        spec.storage.mount_points.push(MountPoint {
            storage: "tank".into(),
            size_gib: 4,
            path: "/tank".into(),
        });
        let problems = check(&cluster(), &spec);
        assert_eq!(
            paths(&problems),
            ["storage.rootfs.storage", "storage.mount_points[1].storage"]
        );
        assert!(
            problems[0].message.contains("10 GiB free, 12 GiB"),
            "{problems:?}"
        );
    }
}
