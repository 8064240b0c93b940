//! Responses of the LXC endpoints (PVE-API.md §4.6, §4.8, §4.10, §4.12, §4.13).

use crate::perl;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// A container's run state. Only `running` and `stopped` exist for containers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GuestStatus {
    Running,
    Stopped,
    #[serde(other)]
    Unknown,
}

/// One entry of `GET /nodes/{node}/lxc`, and the body of `…/status/current`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LxcStatus {
    /// A string before PVE 8.2, an integer since: both are accepted.
    #[serde(deserialize_with = "perl::int")]
    pub vmid: u32,
    pub status: GuestStatus,
    /// The hostname, or `CT<vmid>`.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "perl::opt_float")]
    pub cpus: Option<f64>,
    #[serde(default, deserialize_with = "perl::opt_float")]
    pub cpu: Option<f64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub mem: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub maxmem: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub swap: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub maxswap: Option<u64>,
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
    /// `;`-separated.
    #[serde(default)]
    pub tags: Option<String>,
    /// Set while a config lock is held (`create`, `snapshot`, `backup`…).
    #[serde(default)]
    pub lock: Option<String>,
    #[serde(default, deserialize_with = "perl::boolean")]
    pub template: bool,
    /// Only while running.
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub pid: Option<u32>,
    /// Only in `status/current`.
    #[serde(default)]
    pub ha: Option<HaStatus>,
}

/// Whether a `tags` value holds `tag`. PVE stores `;` but accepts `,` and spaces on input.
pub fn tags_contain(tags: &str, tag: &str) -> bool {
    tags.split([';', ',', ' ']).any(|t| t == tag)
}

impl LxcStatus {
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags
            .as_deref()
            .is_some_and(|tags| tags_contain(tags, tag))
    }
}

/// The `ha` object of `status/current`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct HaStatus {
    #[serde(default, deserialize_with = "perl::boolean")]
    pub managed: bool,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
}

/// `GET /nodes/{node}/lxc/{vmid}/config`: typed common keys, everything else in `other`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LxcConfig {
    /// SHA-1 of the config file; pass it back on update to detect concurrent edits.
    #[serde(default)]
    pub digest: Option<String>,
    #[serde(default)]
    pub hostname: Option<String>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub cores: Option<u32>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub memory: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub swap: Option<u64>,
    #[serde(default)]
    pub rootfs: Option<String>,
    #[serde(default, deserialize_with = "perl::boolean")]
    pub unprivileged: bool,
    #[serde(default, deserialize_with = "perl::boolean")]
    pub onboot: bool,
    #[serde(default)]
    pub tags: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub lock: Option<String>,
    /// Every other key (`net0`, `features`, `ostype`, `arch`, `mp0`…) as sent.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

impl LxcConfig {
    /// `netN` property strings by index.
    pub fn nets(&self) -> BTreeMap<u8, &str> {
        self.other
            .iter()
            .filter_map(|(k, v)| {
                let idx = k.strip_prefix("net")?.parse::<u8>().ok()?;
                Some((idx, v.as_str()?))
            })
            .collect()
    }
}

/// One entry of `GET …/interfaces`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LxcInterface {
    pub name: String,
    /// Lower case, from `ip`.
    #[serde(default)]
    pub hwaddr: Option<String>,
    /// Only the last IPv4 address; deprecated in favour of `ip_addresses`.
    #[serde(default)]
    pub inet: Option<String>,
    #[serde(default)]
    pub inet6: Option<String>,
    /// PVE 8.4+.
    #[serde(default, rename = "ip-addresses")]
    pub ip_addresses: Vec<IpAddress>,
}

/// An address of an interface.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct IpAddress {
    /// `inet` or `inet6`.
    #[serde(rename = "ip-address-type")]
    pub family: String,
    #[serde(rename = "ip-address")]
    pub address: String,
    #[serde(deserialize_with = "perl::int")]
    pub prefix: u8,
}

/// One entry of `GET …/snapshot`. The last entry is always `current` ("You are here!").
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Snapshot {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub snaptime: Option<i64>,
    /// `prepare` or `delete` while a snapshot task works on it.
    #[serde(default)]
    pub snapstate: Option<String>,
    /// Only on `current`.
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub running: Option<u8>,
}

impl Snapshot {
    /// Whether this is the pseudo-entry for the live state.
    pub fn is_current(&self) -> bool {
        self.name == "current"
    }
}

/// One sample of `GET …/rrddata`: `time` and named series (`cpu`, `mem`, `netin`…).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RrdPoint {
    #[serde(deserialize_with = "perl::int")]
    pub time: i64,
    #[serde(flatten)]
    pub values: BTreeMap<String, Value>,
}

impl RrdPoint {
    /// A series value, whether sent as a number or a numeric string.
    pub fn get(&self, name: &str) -> Option<f64> {
        match self.values.get(name)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_item_with_string_vmid_and_status_current() {
        let old: LxcStatus = serde_json::from_str(
            r#"{"vmid":"100","type":"lxc","status":"stopped","name":"ct1","cpus":1,
                "maxmem":536870912,"maxswap":536870912,"maxdisk":4294967296,"mem":0,"swap":0,
                "disk":0,"uptime":0,"cpu":0,"netin":0,"netout":0,"diskread":0,"diskwrite":0}"#,
        )
        .unwrap();
        assert_eq!(old.vmid, 100);
        assert_eq!(old.status, GuestStatus::Stopped);
        let cur: LxcStatus = serde_json::from_str(
            r#"{"vmid":100,"status":"running","pid":"4242","cpus":"1.5","lock":"snapshot",
                "ha":{"managed":0},"pressurecpusome":0.1}"#,
        )
        .unwrap();
        assert_eq!(cur.pid, Some(4242));
        assert_eq!(cur.cpus, Some(1.5));
        assert!(!cur.ha.unwrap().managed);
    }

    #[test]
    fn config_keeps_unknown_keys() {
        let c: LxcConfig = serde_json::from_str(
            r#"{"arch":"amd64","cores":2,"digest":"3f1a","hostname":"ct1","memory":512,
                "net0":"name=eth0,bridge=vmbr0,hwaddr=BC:24:11:2E:C5:7E,ip=dhcp,type=veth",
                "ostype":"debian","rootfs":"local-lvm:vm-100-disk-0,size=8G","swap":512,
                "unprivileged":1,"features":"nesting=1"}"#,
        )
        .unwrap();
        assert!(c.unprivileged);
        assert_eq!(c.cores, Some(2));
        assert_eq!(
            c.nets()
                .get(&0)
                .copied()
                .map(|s| s.starts_with("name=eth0")),
            Some(true)
        );
        assert_eq!(c.other.get("ostype"), Some(&Value::from("debian")));
    }

    #[test]
    fn interfaces_and_snapshots() {
        let i: Vec<LxcInterface> = serde_json::from_str(
            r#"[{"name":"lo","hwaddr":"00:00:00:00:00:00","inet":"127.0.0.1/8"},
                {"name":"eth0","hwaddr":"bc:24:11:2e:c5:7e","hardware-address":"bc:24:11:2e:c5:7e",
                 "inet":"10.0.0.5/24","inet6":"fe80::1/64","ip-addresses":[
                 {"ip-address-type":"inet","ip-address":"10.0.0.5","prefix":24}]}]"#,
        )
        .unwrap();
        assert_eq!(i[1].ip_addresses[0].prefix, 24);
        let s: Vec<Snapshot> = serde_json::from_str(
            r#"[{"name":"before","snaptime":1700000000,"description":""},
                {"name":"current","digest":"ab","running":0,"description":"You are here!","parent":"before"}]"#,
        )
        .unwrap();
        assert!(s[1].is_current());
        assert_eq!(s[1].parent.as_deref(), Some("before"));
    }

    #[test]
    fn rrd_values_numbers_or_strings() {
        let p: RrdPoint =
            serde_json::from_str(r#"{"time":1700000000,"cpu":0.5,"mem":"1024"}"#).unwrap();
        assert_eq!(p.get("cpu"), Some(0.5));
        assert_eq!(p.get("mem"), Some(1024.0));
        assert_eq!(p.get("netin"), None);
    }
}
