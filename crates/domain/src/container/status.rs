//! Containers as the dashboard lists them: one row per LXC in the cluster, from the poller's
//! snapshot of `/cluster/resources`, and the changes between two snapshots that browsers get.

use serde::{Deserialize, Serialize};

/// One container's live status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContainerRow {
    pub vmid: u32,
    pub node: String,
    pub name: String,
    /// `running`, `stopped`, or what Proxmox says.
    pub status: String,
    pub tags: Vec<String>,
    /// A config lock (`create`, `snapshot`, `backup`…), while held.
    pub lock: Option<String>,
    /// CPU use as a fraction of its cores.
    pub cpu: f64,
    pub cores: f64,
    pub mem: u64,
    pub maxmem: u64,
    pub disk: u64,
    pub maxdisk: u64,
    pub uptime: u64,
    pub netin: u64,
    pub netout: u64,
    /// The Berth run that made it (its `berth-run-<id>` tag), when one did.
    pub run: Option<String>,
}

impl ContainerRow {
    pub fn is_running(&self) -> bool {
        self.status == "running"
    }

    /// Made by Berth (tagged `berth`).
    pub fn is_managed(&self) -> bool {
        self.tags.iter().any(|t| t == "berth")
    }
}

/// The poller's latest view of one cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContainersSnapshot {
    /// When Proxmox last answered (RFC 3339, UTC).
    pub taken_at: String,
    /// Set while Proxmox does not answer: why, and since when (the rows are then as of
    /// `taken_at`, and the page says how old they are).
    pub error: Option<String>,
    pub failing_since: Option<String>,
    /// Ordered by VMID.
    pub containers: Vec<ContainerRow>,
}

/// What changed between two snapshots: what a browser applies to its list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContainersDelta {
    pub taken_at: String,
    pub error: Option<String>,
    pub failing_since: Option<String>,
    /// New or changed rows.
    pub changed: Vec<ContainerRow>,
    /// VMIDs that are gone.
    pub removed: Vec<u32>,
}

impl ContainersSnapshot {
    /// No rows, never taken: what a cluster looks like before its first poll.
    pub fn empty() -> Self {
        Self {
            taken_at: String::new(),
            error: None,
            failing_since: None,
            containers: Vec::new(),
        }
    }

    /// The rows of `next` that differ from this snapshot, and the VMIDs it no longer has.
    pub fn delta_to(&self, next: &ContainersSnapshot) -> ContainersDelta {
        let changed = next
            .containers
            .iter()
            .filter(|row| !self.containers.contains(row))
            .cloned()
            .collect();
        let removed = self
            .containers
            .iter()
            .filter(|old| !next.containers.iter().any(|row| row.vmid == old.vmid))
            .map(|old| old.vmid)
            .collect();
        ContainersDelta {
            taken_at: next.taken_at.clone(),
            error: next.error.clone(),
            failing_since: next.failing_since.clone(),
            changed,
            removed,
        }
    }

    /// This snapshot with `delta` applied (what a browser does with the deltas it gets).
    pub fn apply(&mut self, delta: &ContainersDelta) {
        self.containers
            .retain(|row| !delta.removed.contains(&row.vmid));
        for row in &delta.changed {
            match self.containers.iter_mut().find(|r| r.vmid == row.vmid) {
                Some(existing) => *existing = row.clone(),
                None => self.containers.push(row.clone()),
            }
        }
        self.containers.sort_by_key(|row| row.vmid);
        self.taken_at.clone_from(&delta.taken_at);
        self.error.clone_from(&delta.error);
        self.failing_since.clone_from(&delta.failing_since);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(vmid: u32, status: &str) -> ContainerRow {
        ContainerRow {
            vmid,
            node: "pve1".into(),
            name: format!("ct{vmid}"),
            status: status.into(),
            tags: vec!["berth".into()],
            lock: None,
            cpu: 0.0,
            cores: 1.0,
            mem: 0,
            maxmem: 512 << 20,
            disk: 0,
            maxdisk: 8 << 30,
            uptime: 0,
            netin: 0,
            netout: 0,
            run: None,
        }
    }

    fn snapshot(rows: Vec<ContainerRow>) -> ContainersSnapshot {
        ContainersSnapshot {
            taken_at: "2026-11-30T12:00:00Z".into(),
            error: None,
            failing_since: None,
            containers: rows,
        }
    }

    #[test]
    fn a_delta_carries_changes_and_removals_and_rebuilds_the_next_snapshot() {
        let before = snapshot(vec![
            row(100, "running"),
            row(101, "running"),
            row(102, "stopped"),
        ]);
        let mut after = snapshot(vec![
            row(100, "running"),
            row(101, "stopped"),
            row(103, "running"),
        ]);
        after.taken_at = "2026-11-30T12:00:05Z".into();
        let delta = before.delta_to(&after);
        assert_eq!(
            delta.changed.iter().map(|r| r.vmid).collect::<Vec<_>>(),
            [101, 103]
        );
        assert_eq!(delta.removed, [102]);
        let mut rebuilt = before.clone();
        rebuilt.apply(&delta);
        assert_eq!(rebuilt, after);
    }
}
