//! How far a run got, saved in `runs.checkpoint` after every step that changed Proxmox, so that
//! a retry (or another worker after a crash) resumes without repeating it.

use berth_pve::Upid;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Checkpoint {
    /// The VMID reserved for the run (unique among unfinished runs in Postgres).
    pub vmid: Option<u32>,
    /// The node the container lives on.
    pub node: Option<String>,
    /// The `vzcreate` task, saved before waiting for it: a resumed run waits for this task
    /// instead of creating a second container.
    pub create_upid: Option<String>,
    /// The `vzstart` task, saved before waiting for it.
    pub start_upid: Option<String>,
    /// The container's IPv4 address on `eth0`, without the prefix length.
    pub address: Option<String>,
    /// Its global IPv6 address, when it has one.
    pub address6: Option<String>,
    /// How many of the template's scripts have finished: scripts are not idempotent, so a
    /// resumed run starts at the first one that did not.
    pub scripts_done: usize,
}

impl Checkpoint {
    /// Reads a stored checkpoint; `{}` and `null` are the empty one.
    pub fn from_json(value: &serde_json::Value) -> Result<Self, serde_json::Error> {
        if value.is_null() {
            return Ok(Self::default());
        }
        serde_json::from_value(value.clone())
    }

    pub fn to_json(&self) -> serde_json::Value {
        // A struct of options and strings always serializes.
        serde_json::to_value(self).unwrap_or_default()
    }

    /// A saved UPID, if it still parses (one that does not is treated as never saved).
    pub fn upid(saved: &Option<String>) -> Option<Upid> {
        saved.as_deref().and_then(|text| text.parse().ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_partial_checkpoints_read() {
        assert_eq!(
            Checkpoint::from_json(&serde_json::Value::Null).unwrap(),
            Checkpoint::default()
        );
        let partial = Checkpoint::from_json(&serde_json::json!({"vmid": 120})).unwrap();
        assert_eq!(partial.vmid, Some(120));
        let full = Checkpoint {
            vmid: Some(120),
            node: Some("pve1".into()),
            address: Some("10.0.0.5".into()),
            ..Checkpoint::default()
        };
        assert_eq!(Checkpoint::from_json(&full.to_json()).unwrap(), full);
    }
}
