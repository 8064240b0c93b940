//! One simulated container: its config file (as key/value strings), runtime status and snapshots.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::schema::{Params, disk_size_bytes};

/// A container, as the node that owns it knows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Container {
    pub vmid: u32,
    pub node: String,
    /// The config file's keys with their stored (string) values, `lock` and `description` included.
    pub config: BTreeMap<String, String>,
    /// Changes waiting for a reboot (`[pve:pending]`), and keys to delete then.
    pub pending: BTreeMap<String, String>,
    pub pending_delete: BTreeSet<String>,
    pub running: bool,
    pub started_at: Option<i64>,
    pub snapshots: Vec<Snapshot>,
    /// The snapshot the current state descends from.
    pub parent: Option<String>,
    pub stats: Stats,
}

/// Live figures that move while the container runs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Stats {
    pub cpu: f64,
    pub mem: u64,
    pub swap: u64,
    pub disk: u64,
    pub netin: u64,
    pub netout: u64,
    pub diskread: u64,
    pub diskwrite: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    pub name: String,
    pub snaptime: i64,
    pub description: String,
    pub parent: Option<String>,
    pub config: BTreeMap<String, String>,
    pub running: bool,
}

impl Container {
    pub fn new(vmid: u32, node: &str) -> Self {
        Self {
            vmid,
            node: node.to_string(),
            config: BTreeMap::new(),
            pending: BTreeMap::new(),
            pending_delete: BTreeSet::new(),
            running: false,
            started_at: None,
            snapshots: Vec::new(),
            parent: None,
            stats: Stats::default(),
        }
    }

    pub fn lock(&self) -> Option<&str> {
        self.config.get("lock").map(String::as_str)
    }

    pub fn name(&self) -> String {
        self.config
            .get("hostname")
            .map(|h| h.split_whitespace().collect::<String>())
            .unwrap_or_else(|| format!("CT{}", self.vmid))
    }

    pub fn maxmem(&self) -> u64 {
        self.num("memory").unwrap_or(512) << 20
    }

    pub fn maxswap(&self) -> u64 {
        self.num("swap").unwrap_or(512) << 20
    }

    pub fn maxdisk(&self) -> u64 {
        self.volumes()
            .first()
            .map(|(_, size)| *size)
            .unwrap_or(4 << 30)
    }

    fn num(&self, key: &str) -> Option<u64> {
        self.config.get(key).and_then(|v| v.parse().ok())
    }

    /// `(storage, bytes)` of the container's volumes (rootfs only; mount points are not simulated).
    /// The volumes of its root disk and mount points: (storage, bytes).
    pub fn volumes(&self) -> Vec<(String, u64)> {
        self.config
            .iter()
            .filter(|(k, _)| *k == "rootfs" || is_mount_point(k))
            .filter_map(|(_, v)| rootfs_volume(v))
            .collect()
    }

    /// Where its mount points are mounted (`mp=` of each `mpN`).
    pub fn mount_paths(&self) -> Vec<&str> {
        self.config
            .iter()
            .filter(|(k, _)| is_mount_point(k))
            .filter_map(|(_, v)| v.split(',').find_map(|p| p.strip_prefix("mp=")))
            .collect()
    }

    pub fn is_template(&self) -> bool {
        self.config.get("template").is_some_and(|t| t == "1")
    }

    pub fn uptime(&self, now: i64) -> i64 {
        self.started_at
            .filter(|_| self.running)
            .map_or(0, |s| (now - s).max(0))
    }

    /// The status object of `GET …/lxc` items and `status/current` (pve-container `vmstatus`).
    pub fn status_json(&self, now: i64, host_cpus: u32) -> Value {
        let cpus: Value = match (self.config.get("cores"), self.config.get("cpulimit")) {
            (Some(c), _) => c.parse::<u64>().map_or_else(|_| json!(c), |n| json!(n)),
            // A fractional cpulimit comes out as a string in the real output.
            (None, Some(l)) if l != "0" => json!(l),
            _ => json!(host_cpus),
        };
        let mut v = json!({
            "vmid": self.vmid,
            "type": "lxc",
            "status": if self.running { "running" } else { "stopped" },
            "name": self.name(),
            "cpus": cpus,
            "maxmem": self.maxmem(),
            "maxswap": self.maxswap(),
            "maxdisk": self.maxdisk(),
            "mem": if self.running { self.stats.mem } else { 0 },
            "swap": if self.running { self.stats.swap } else { 0 },
            "disk": self.stats.disk,
            "uptime": self.uptime(now),
            "cpu": if self.running { self.stats.cpu } else { 0.0 },
            "netin": self.stats.netin,
            "netout": self.stats.netout,
            "diskread": self.stats.diskread,
            "diskwrite": self.stats.diskwrite,
        });
        if let Some(obj) = v.as_object_mut() {
            if let Some(tags) = self.config.get("tags") {
                obj.insert("tags".into(), json!(tags));
            }
            if let Some(lock) = self.lock() {
                obj.insert("lock".into(), json!(lock));
            }
            if self.is_template() {
                obj.insert("template".into(), json!(1));
            }
            if self.running {
                obj.insert("pid".into(), json!(10_000 + self.vmid * 7 % 50_000));
                for k in [
                    "pressurecpusome",
                    "pressurecpufull",
                    "pressureiosome",
                    "pressureiofull",
                    "pressurememorysome",
                    "pressurememoryfull",
                ] {
                    obj.insert(k.into(), json!(0));
                }
            }
        }
        v
    }

    /// The config file as PVE writes it; its SHA-1 is the `digest`.
    pub fn render_config(&self) -> String {
        let mut out = String::new();
        if let Some(d) = self.config.get("description") {
            for line in d.lines() {
                out.push_str(&format!("#{line}\n"));
            }
        }
        write_section(&mut out, &self.config);
        if !self.pending.is_empty() || !self.pending_delete.is_empty() {
            out.push_str("\n[pve:pending]\n");
            write_section(&mut out, &self.pending);
            if !self.pending_delete.is_empty() {
                let del: Vec<&str> = self.pending_delete.iter().map(String::as_str).collect();
                out.push_str(&format!("delete: {}\n", del.join(",")));
            }
        }
        for s in &self.snapshots {
            out.push_str(&format!("\n[{}]\n", s.name));
            write_section(&mut out, &s.config);
        }
        out
    }

    pub fn digest(&self) -> String {
        let d = ring::digest::digest(
            &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            self.render_config().as_bytes(),
        );
        d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The `netN` entries as parsed property strings.
    pub fn nets(&self) -> Vec<(String, Params)> {
        self.config
            .iter()
            .filter(|(k, _)| k.starts_with("net") && k[3..].parse::<u32>().is_ok())
            .filter_map(|(k, v)| {
                crate::schema::parse_property_string(&crate::api::lxc_schema::net_props(), k, v)
                    .ok()
                    .map(|p| (k.clone(), p))
            })
            .collect()
    }
}

fn write_section(out: &mut String, map: &BTreeMap<String, String>) {
    for (k, v) in map {
        if k != "description" {
            out.push_str(&format!("{k}: {v}\n"));
        }
    }
}

/// `local-lvm:vm-100-disk-0,size=8G` → `("local-lvm", 8 GiB)`.
/// `mp0` … `mp255`.
pub fn is_mount_point(key: &str) -> bool {
    key.strip_prefix("mp")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

pub fn rootfs_volume(rootfs: &str) -> Option<(String, u64)> {
    let mut parts = rootfs.split(',');
    let volume = parts.next()?;
    let storage = volume.split(':').next()?.to_string();
    let size = parts
        .filter_map(|p| p.strip_prefix("size="))
        .find_map(disk_size_bytes)
        .unwrap_or(4 << 30);
    Some((storage, size))
}
