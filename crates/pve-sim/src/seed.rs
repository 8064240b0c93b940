//! The seed: the cluster a fresh simulator starts with (TOML; `seed/default.toml` ships built in).

use std::path::Path;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::faults::Faults;

/// The default seed, compiled in so `SimOptions::with_default_seed()` needs no file.
pub const DEFAULT_SEED: &str = include_str!("../seed/default.toml");

/// A whole seed file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    pub cluster: String,
    #[serde(default)]
    pub sim: SimSettings,
    pub nodes: Vec<SeedNode>,
    #[serde(default)]
    pub users: Vec<SeedUser>,
    #[serde(default)]
    pub roles: std::collections::BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub acl: Vec<SeedAcl>,
    #[serde(default)]
    pub appliances: Vec<Appliance>,
    #[serde(default)]
    pub faults: Faults,
}

/// Simulator timings; every duration is multiplied by `SimOptions::time_scale`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SimSettings {
    /// How often `/cluster/resources` catches up with the truth (pvestatd broadcasts ~every 10 s).
    pub stats_interval_secs: f64,
    /// Delay of 401 replies (the real pveproxy waits about 3 s).
    pub auth_failure_delay_secs: f64,
    /// How long a config flock is waited for (`lock_config`: 10 s).
    pub lock_timeout_secs: f64,
}

impl Default for SimSettings {
    fn default() -> Self {
        Self {
            stats_interval_secs: 10.0,
            auth_failure_delay_secs: 3.0,
            lock_timeout_secs: 10.0,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedNode {
    pub name: String,
    pub cpus: u32,
    pub memory_gib: u64,
    pub rootfs_gib: u64,
    pub storages: Vec<SeedStorage>,
    pub bridges: Vec<SeedBridge>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedStorage {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub content: Vec<String>,
    pub total_gib: u64,
    #[serde(default)]
    pub used_gib: u64,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub templates: Vec<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedBridge {
    pub name: String,
    #[serde(default = "default_mtu")]
    pub mtu: u32,
}

fn default_mtu() -> u32 {
    1500
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    pub userid: String,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub tokens: Vec<SeedToken>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedToken {
    pub id: String,
    /// The secret UUID; generated at start when absent.
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default = "yes")]
    pub privsep: bool,
    /// Epoch seconds; 0 = never.
    #[serde(default)]
    pub expire: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAcl {
    pub path: String,
    /// A user id (`berth@pve`) or a token id (`berth@pve!provisioner`).
    pub ugid: String,
    pub role: String,
    #[serde(default = "yes")]
    pub propagate: bool,
}

/// One entry of the appliance index (`GET /nodes/{node}/aplinfo`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Appliance {
    pub package: String,
    pub version: String,
    pub os: String,
    pub template: String,
    pub headline: String,
    #[serde(default = "default_section")]
    pub section: String,
}

fn default_section() -> String {
    "system".into()
}

impl Seed {
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        toml::from_str(text).context("invalid seed file")
    }

    pub fn from_file(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading seed {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("in {}", path.display()))
    }

    /// The built-in default seed.
    pub fn default_seed() -> anyhow::Result<Self> {
        Self::parse(DEFAULT_SEED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_seed_parses() {
        let seed = Seed::default_seed();
        assert!(seed.is_ok(), "{seed:?}");
    }
}
