//! Responses of the version, node and cluster endpoints (PVE-API.md §4.1–§4.5).

use crate::perl;
use serde::Deserialize;

/// `GET /version`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct VersionInfo {
    /// e.g. `9.2.11`.
    pub version: String,
    /// e.g. `9.2`.
    pub release: String,
    pub repoid: String,
    /// Only when set in datacenter.cfg.
    #[serde(default)]
    pub console: Option<String>,
}

/// One entry of `GET /nodes`. The numbers need `Sys.Audit` on the node, else they are absent.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NodeListItem {
    pub node: String,
    /// `online`, `offline` or `unknown`.
    pub status: String,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "perl::opt_float")]
    pub cpu: Option<f64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub maxcpu: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub mem: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub maxmem: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub disk: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub maxdisk: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub uptime: Option<u64>,
    /// Subscription level; empty without one.
    #[serde(default)]
    pub level: Option<String>,
    /// `AA:BB:…`, usable for [`crate::TlsMode::Fingerprint`].
    #[serde(default)]
    pub ssl_fingerprint: Option<String>,
}

/// `GET /nodes/{node}/status` (the commonly useful part; PVE adds more keys).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NodeStatus {
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub uptime: Option<u64>,
    /// Arrives as strings: `["0.05","0.12","0.10"]`.
    #[serde(default, deserialize_with = "perl::float_list")]
    pub loadavg: Vec<f64>,
    #[serde(default, deserialize_with = "perl::opt_float")]
    pub cpu: Option<f64>,
    #[serde(default, deserialize_with = "perl::opt_float")]
    pub wait: Option<f64>,
    #[serde(default)]
    pub kversion: Option<String>,
    /// `pve-manager/9.2.11/<repoid>`.
    #[serde(default)]
    pub pveversion: Option<String>,
    #[serde(default)]
    pub cpuinfo: Option<CpuInfo>,
    #[serde(default)]
    pub memory: Option<Usage>,
    #[serde(default)]
    pub swap: Option<Usage>,
    #[serde(default)]
    pub rootfs: Option<Usage>,
}

/// `cpuinfo` of the node status; `mhz` is a string and `hvm` is `"1"` or `""` on the wire.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CpuInfo {
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub cpus: Option<u32>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub sockets: Option<u32>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub cores: Option<u32>,
    #[serde(default, deserialize_with = "perl::opt_float")]
    pub mhz: Option<f64>,
    #[serde(default, deserialize_with = "perl::boolean")]
    pub hvm: bool,
}

/// Bytes of memory, swap or root file system.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Usage {
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub total: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub used: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub free: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub avail: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub available: Option<u64>,
}

/// The `type` filter of `GET /cluster/resources`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceType {
    Vm,
    Storage,
    Node,
    Sdn,
}

impl ResourceType {
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceType::Vm => "vm",
            ResourceType::Storage => "storage",
            ResourceType::Node => "node",
            ResourceType::Sdn => "sdn",
        }
    }
}

/// One entry of `GET /cluster/resources`: a guest (`lxc`/`qemu`), node, storage, pool or sdn.
/// Stats come from the RRD broadcast (up to ~10 s old); a new guest shows `status: unknown`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ClusterResource {
    /// `lxc/100`, `node/pve`, `storage/pve/local`…
    pub id: String,
    /// `lxc`, `qemu`, `node`, `storage`, `pool`, `sdn`…
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub node: Option<String>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub vmid: Option<u32>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub storage: Option<String>,
    #[serde(default)]
    pub pool: Option<String>,
    /// `;`-separated.
    #[serde(default)]
    pub tags: Option<String>,
    #[serde(default)]
    pub lock: Option<String>,
    #[serde(default)]
    pub hastate: Option<String>,
    #[serde(default, deserialize_with = "perl::boolean")]
    pub template: bool,
    #[serde(default, deserialize_with = "perl::opt_float")]
    pub cpu: Option<f64>,
    #[serde(default, deserialize_with = "perl::opt_float")]
    pub maxcpu: Option<f64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub mem: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub maxmem: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub disk: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub maxdisk: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub uptime: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub netin: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub netout: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub diskread: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub diskwrite: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_status_with_perl_strings() {
        let json = r#"{"uptime":86400,"idle":0,"loadavg":["0.05","0.12","0.10"],
            "kversion":"Linux 6.14.8-2-pve","cpu":0.0123,"wait":0.001,
            "cpuinfo":{"user_hz":100,"model":"AMD EPYC","mhz":"2994.374","cpus":8,"sockets":1,
                       "cores":8,"hvm":"1","flags":"fpu vme"},
            "memory":{"free":100,"total":400,"available":300,"used":300},
            "swap":{"free":0,"total":0,"used":0},
            "rootfs":{"total":1000,"avail":600,"used":400,"free":600},
            "pveversion":"pve-manager/9.2.11/14a22df35955d97d"}"#;
        let s: NodeStatus = serde_json::from_str(json).unwrap();
        assert_eq!(s.loadavg, vec![0.05, 0.12, 0.10]);
        let cpu = s.cpuinfo.unwrap();
        assert_eq!(cpu.mhz, Some(2994.374));
        assert!(cpu.hvm);
        let no_hvm: CpuInfo = serde_json::from_str(r#"{"hvm":""}"#).unwrap();
        assert!(!no_hvm.hvm);
    }

    #[test]
    fn cluster_resource_guest_entry() {
        let json = r#"{"id":"lxc/100","type":"lxc","vmid":100,"node":"pve","status":"running",
            "name":"ct1","uptime":5,"cpu":0.01,"maxcpu":2,"mem":1,"maxmem":2,"disk":3,
            "maxdisk":4,"netin":5,"netout":6,"diskread":7,"diskwrite":8,"template":0,
            "tags":"a;b"}"#;
        let r: ClusterResource = serde_json::from_str(json).unwrap();
        assert_eq!(r.kind, "lxc");
        assert_eq!(r.vmid, Some(100));
        assert!(!r.template);
        let fresh: ClusterResource = serde_json::from_str(
            r#"{"id":"lxc/101","type":"lxc","vmid":"101","status":"unknown"}"#,
        )
        .unwrap();
        assert_eq!(fresh.vmid, Some(101));
        assert_eq!(fresh.cpu, None);
    }
}
