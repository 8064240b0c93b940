//! Typed requests for creating and changing containers, rendered to form parameters.

use crate::form::Params;
use crate::secret::Secret;
use std::collections::BTreeMap;

/// A `netN` property string (PVE-API.md §4.7). Renders `name` first, as the server stores it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NetConfig {
    /// Interface name inside the CT, e.g. `eth0` (required by the server).
    pub name: String,
    pub bridge: Option<String>,
    /// `dhcp`, `manual` or `10.0.0.5/24`.
    pub ip: Option<String>,
    pub gw: Option<String>,
    /// `auto`, `dhcp`, `manual` or an IPv6/CIDR.
    pub ip6: Option<String>,
    pub gw6: Option<String>,
    pub hwaddr: Option<String>,
    pub firewall: Option<bool>,
    /// VLAN tag 1–4094.
    pub tag: Option<u16>,
    pub mtu: Option<u16>,
    /// Mbit/s.
    pub rate: Option<f64>,
}

impl NetConfig {
    pub fn to_property_string(&self) -> String {
        let mut parts = vec![format!("name={}", self.name)];
        let mut push = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                parts.push(format!("{k}={v}"));
            }
        };
        push("bridge", self.bridge.clone());
        push("firewall", self.firewall.map(|b| u8::from(b).to_string()));
        push("gw", self.gw.clone());
        push("gw6", self.gw6.clone());
        push("hwaddr", self.hwaddr.clone());
        push("ip", self.ip.clone());
        push("ip6", self.ip6.clone());
        push("mtu", self.mtu.map(|m| m.to_string()));
        push("rate", self.rate.map(|r| r.to_string()));
        push("tag", self.tag.map(|t| t.to_string()));
        parts.join(",")
    }
}

/// Options shared by create and config update.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LxcOptions {
    pub hostname: Option<String>,
    pub cores: Option<u32>,
    pub cpulimit: Option<f64>,
    pub cpuunits: Option<u32>,
    /// MiB.
    pub memory: Option<u64>,
    /// MiB.
    pub swap: Option<u64>,
    pub nets: BTreeMap<u8, NetConfig>,
    /// Space-separated list of IPs.
    pub nameserver: Option<String>,
    pub searchdomain: Option<String>,
    /// e.g. `nesting=1` (the only feature a non-root user may set).
    pub features: Option<String>,
    pub onboot: Option<bool>,
    pub startup: Option<String>,
    pub protection: Option<bool>,
    /// `;`-separated tags.
    pub tags: Option<String>,
    pub description: Option<String>,
    pub ostype: Option<String>,
    pub arch: Option<String>,
    pub timezone: Option<String>,
}

impl LxcOptions {
    pub(crate) fn apply(&self, mut p: Params) -> Params {
        p = p
            .opt_str("hostname", self.hostname.clone())
            .opt_num("cores", self.cores)
            .opt_num("cpulimit", self.cpulimit)
            .opt_num("cpuunits", self.cpuunits)
            .opt_num("memory", self.memory)
            .opt_num("swap", self.swap);
        for (idx, net) in &self.nets {
            p = p.str(&format!("net{idx}"), net.to_property_string());
        }
        p.opt_str("nameserver", self.nameserver.clone())
            .opt_str("searchdomain", self.searchdomain.clone())
            .opt_str("features", self.features.clone())
            .opt_bool("onboot", self.onboot)
            .opt_str("startup", self.startup.clone())
            .opt_bool("protection", self.protection)
            .opt_str("tags", self.tags.clone())
            .opt_str("description", self.description.clone())
            .opt_str("ostype", self.ostype.clone())
            .opt_str("arch", self.arch.clone())
            .opt_str("timezone", self.timezone.clone())
    }
}

/// `POST /nodes/{node}/lxc`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateLxc {
    pub vmid: u32,
    /// A volume id such as `local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst`.
    pub ostemplate: String,
    /// `STORAGE:SIZE_GiB` such as `local-lvm:8`.
    pub rootfs: Option<String>,
    pub storage: Option<String>,
    pub password: Option<Secret>,
    /// One key per line.
    pub ssh_public_keys: Option<String>,
    /// Always sent: PVE 8 defaults to privileged, PVE 9 to unprivileged (§4.7). Default true.
    pub unprivileged: bool,
    pub start: Option<bool>,
    pub pool: Option<String>,
    /// Sent as `mp0`, `mp1`, … in this order: `STORAGE:SIZE_GiB,mp=/path` each allocates a volume.
    pub mount_points: Vec<String>,
    pub options: LxcOptions,
}

impl CreateLxc {
    pub fn new(vmid: u32, ostemplate: impl Into<String>) -> Self {
        Self {
            vmid,
            ostemplate: ostemplate.into(),
            rootfs: None,
            storage: None,
            password: None,
            ssh_public_keys: None,
            unprivileged: true,
            start: None,
            pool: None,
            mount_points: Vec::new(),
            options: LxcOptions::default(),
        }
    }

    /// The form the client sends (public so tests can check it against the real schema).
    pub fn to_params(&self) -> Params {
        let p = Params::new()
            .num("vmid", self.vmid)
            .str("ostemplate", self.ostemplate.clone())
            .opt_str("rootfs", self.rootfs.clone())
            .opt_str("storage", self.storage.clone())
            .opt_secret("password", self.password.as_ref())
            .opt_str("ssh-public-keys", self.ssh_public_keys.clone())
            .bool("unprivileged", self.unprivileged)
            .opt_bool("start", self.start)
            .opt_str("pool", self.pool.clone());
        let p = self
            .mount_points
            .iter()
            .enumerate()
            .fold(p, |p, (i, mp)| p.str(&format!("mp{i}"), mp.clone()));
        self.options.apply(p)
    }
}

/// `PUT /nodes/{node}/lxc/{vmid}/config`: keys to set, keys to delete, and the digest.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LxcConfigUpdate {
    pub set: LxcOptions,
    /// Keys to remove, e.g. `["net1", "description"]`.
    pub delete: Vec<String>,
    /// The `digest` read with the config; the server refuses the update if it changed.
    pub digest: Option<String>,
}

impl LxcConfigUpdate {
    /// The form the client sends (public so tests can check it against the real schema).
    pub fn to_params(&self) -> Params {
        let p = self.set.apply(Params::new());
        let p = if self.delete.is_empty() {
            p
        } else {
            p.str("delete", self.delete.join(","))
        };
        p.opt_str("digest", self.digest.clone())
    }
}

/// `DELETE /nodes/{node}/lxc/{vmid}` options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeleteLxc {
    /// Also remove it from backup/replication jobs and HA.
    pub purge: bool,
    /// Stop it first if running.
    pub force: bool,
    pub destroy_unreferenced_disks: Option<bool>,
}

/// The `timeframe` of rrddata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RrdTimeframe {
    Hour,
    Day,
    Week,
    Month,
    Year,
}

impl RrdTimeframe {
    pub fn as_str(self) -> &'static str {
        match self {
            RrdTimeframe::Hour => "hour",
            RrdTimeframe::Day => "day",
            RrdTimeframe::Week => "week",
            RrdTimeframe::Month => "month",
            RrdTimeframe::Year => "year",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_renders_real_parameter_names() {
        let mut c = CreateLxc::new(100, "local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst");
        c.rootfs = Some("local-lvm:8".into());
        c.password = Some(Secret::new("s3cret-pw"));
        c.ssh_public_keys = Some("ssh-ed25519 AAAA x@y".into());
        c.options.hostname = Some("web1".into());
        c.options.memory = Some(1024);
        c.options.onboot = Some(false);
        c.options.nets.insert(
            0,
            NetConfig {
                name: "eth0".into(),
                bridge: Some("vmbr0".into()),
                ip: Some("10.0.0.5/24".into()),
                gw: Some("10.0.0.1".into()),
                firewall: Some(true),
                ..NetConfig::default()
            },
        );
        let p = c.to_params();
        assert_eq!(p.get("unprivileged"), Some("1"));
        assert_eq!(p.get("onboot"), Some("0"));
        assert_eq!(
            p.get("net0"),
            Some("name=eth0,bridge=vmbr0,firewall=1,gw=10.0.0.1,ip=10.0.0.5/24")
        );
        let keys: Vec<&str> = p.keys().collect();
        assert!(keys.contains(&"ssh-public-keys") && keys.contains(&"password"));
        for key in keys {
            assert!(crate::endpoints::LXC_CREATE.accepts(key), "{key}");
        }
    }

    #[test]
    fn update_joins_delete_and_sends_digest() {
        let u = LxcConfigUpdate {
            set: LxcOptions {
                cores: Some(2),
                ..LxcOptions::default()
            },
            delete: vec!["net1".into(), "description".into()],
            digest: Some("3f1a".into()),
        };
        assert_eq!(
            u.to_params().encode(),
            "cores=2&delete=net1%2Cdescription&digest=3f1a"
        );
    }
}
