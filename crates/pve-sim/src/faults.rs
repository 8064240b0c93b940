//! Fault injection: what can go wrong on purpose, settable from the seed and at run time through
//! the admin endpoint `/_sim/faults` (outside `/api2`, so no PVE client can hit it by accident).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// The active faults. Every field defaults to "no fault"; a `PUT /_sim/faults` replaces the set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Extra latency for every `/api2` call, in milliseconds (not scaled by `time_scale`).
    pub latency_ms: u64,
    /// Extra latency for calls whose path (below `/api2/json`) starts with a prefix.
    pub latency_by_prefix: Vec<PrefixLatency>,
    /// Fraction (0.0–1.0) of `/api2` calls answered with `error_status`.
    pub error_rate: f64,
    /// The status of injected errors (default 500); the reason phrase is a PVE-like text.
    pub error_status: Option<u16>,
    /// Calls below a path prefix answered with a status of their own (e.g. 403 for one
    /// container's `/status/start`): a refusal aimed at one request, leaving the rest working.
    pub refuse_prefixes: Vec<PrefixRefusal>,
    /// Path prefixes (below `/api2/json`, e.g. `/nodes/pve1/lxc`) whose calls never answer: the
    /// request hangs until the client gives up. `"/"` hangs everything.
    pub hang_prefixes: Vec<String>,
    /// Task types that end in `TASK ERROR: <message>`; an empty message uses a default text.
    pub fail_tasks: BTreeMap<String, String>,
    /// When set, every config flock acquisition times out
    /// (`can't lock file '/run/lock/lxc/pve-config-100.lock' - got timeout`).
    pub lock_timeout: bool,
    /// Nodes that are unreachable: calls proxied to them give `595 No route to host`, and they
    /// show as offline in `/nodes` and `/cluster/resources`.
    pub offline_nodes: BTreeSet<String>,
}

/// Latency added to calls below one path prefix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrefixLatency {
    pub prefix: String,
    pub ms: u64,
}

/// A status answered to every call below one path prefix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrefixRefusal {
    pub prefix: String,
    pub status: u16,
}

impl Faults {
    /// The latency for one API path (relative to `/api2/json`).
    pub fn latency_for(&self, path: &str) -> u64 {
        self.latency_ms
            + self
                .latency_by_prefix
                .iter()
                .filter(|p| path.starts_with(&p.prefix))
                .map(|p| p.ms)
                .sum::<u64>()
    }

    pub fn hangs(&self, path: &str) -> bool {
        self.hang_prefixes
            .iter()
            .any(|p| path.starts_with(p.as_str()))
    }

    /// The status a refused path gets, if a prefix refuses it.
    pub fn refusal_for(&self, path: &str) -> Option<u16> {
        self.refuse_prefixes
            .iter()
            .find(|r| path.starts_with(&r.prefix))
            .map(|r| r.status)
    }

    /// The failure text for a task type, when that type is set to fail.
    pub fn task_failure(&self, task_type: &str) -> Option<String> {
        self.fail_tasks.get(task_type).map(|m| {
            if m.is_empty() {
                "simulated failure (fault injection)".to_string()
            } else {
                m.clone()
            }
        })
    }
}
