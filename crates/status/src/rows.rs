//! `/cluster/resources` entries → the dashboard's container rows.

use berth_domain::container::ContainerRow;
use berth_pve::types::ClusterResource;

const RUN_TAG: &str = "berth-run-";

/// The LXC containers among `resources` (templates left out), ordered by VMID.
pub fn container_rows(resources: &[ClusterResource]) -> Vec<ContainerRow> {
    let mut rows: Vec<ContainerRow> = resources
        .iter()
        .filter(|r| r.kind == "lxc" && !r.template)
        .filter_map(|r| {
            let vmid = r.vmid?;
            let tags: Vec<String> = r
                .tags
                .as_deref()
                .unwrap_or_default()
                .split([';', ',', ' '])
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect();
            let run = tags
                .iter()
                .find_map(|t| t.strip_prefix(RUN_TAG))
                .map(str::to_string);
            Some(ContainerRow {
                vmid,
                node: r.node.clone().unwrap_or_default(),
                name: r.name.clone().unwrap_or_else(|| format!("CT{vmid}")),
                status: r.status.clone().unwrap_or_else(|| "unknown".into()),
                tags,
                lock: r.lock.clone(),
                cpu: r.cpu.unwrap_or_default(),
                cores: r.maxcpu.unwrap_or_default(),
                mem: r.mem.unwrap_or_default(),
                maxmem: r.maxmem.unwrap_or_default(),
                disk: r.disk.unwrap_or_default(),
                maxdisk: r.maxdisk.unwrap_or_default(),
                uptime: r.uptime.unwrap_or_default(),
                netin: r.netin.unwrap_or_default(),
                netout: r.netout.unwrap_or_default(),
                run,
            })
        })
        .collect();
    rows.sort_by_key(|row| row.vmid);
    rows
}
