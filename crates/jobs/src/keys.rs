//! The Redis key names of one queue, all under its prefix (default `berth:jobs:`).
//!
//! | key        | type | holds                                                             |
//! |------------|------|-------------------------------------------------------------------|
//! | `state`    | HASH | id → `ready`, `delayed` or `leased`: every live job               |
//! | `ready`    | LIST | ids waiting to be leased, pushed left, leased from the right      |
//! | `delayed`  | ZSET | ids waiting for a retry, scored by when they are due (ms)         |
//! | `leased`   | ZSET | leased ids, scored by lease expiry (ms, Redis' clock)             |
//! | `attempts` | HASH | id → how many times it was leased                                 |
//! | `lost`     | HASH | id → how many of its leases expired unsettled (a worker died)     |
//! | `tokens`   | HASH | id → the token of its current lease: what every lease op checks   |
//! | `workers`  | HASH | id → the worker holding the lease, for operators                  |
//! | `cancel`   | SET  | ids whose cancel was requested                                    |
//! | `wake`     | LIST | wake-up tokens idle waiters block on (at most 64)                 |
//! | `slots:<node>` | ZSET | slot holders of a Proxmox node, scored by expiry (ms)         |

use uuid::Uuid;

pub const DEFAULT_PREFIX: &str = "berth:jobs:";

/// The queue's keys, in the order `scripts/queue_keys.lua` names them.
const QUEUE: [&str; 10] = [
    "state", "ready", "delayed", "leased", "attempts", "tokens", "workers", "cancel", "wake",
    "lost",
];

/// Key names derived once from the prefix. With Redis Cluster, a prefix holding a hash tag
/// (e.g. `{berth:jobs}:`) keeps every key of a script in one slot.
#[derive(Debug, Clone)]
pub(crate) struct Keys {
    pub prefix: String,
    pub state: String,
    pub cancel: String,
    pub wake: String,
    /// Every queue key, passed whole to each queue script.
    pub queue: Vec<String>,
}

impl Keys {
    pub fn new(prefix: &str) -> Self {
        let key = |name: &str| format!("{prefix}{name}");
        Self {
            prefix: prefix.to_owned(),
            state: key("state"),
            cancel: key("cancel"),
            wake: key("wake"),
            queue: QUEUE.map(key).to_vec(),
        }
    }

    /// The holders of the slots of one Proxmox node.
    pub fn slots(&self, node: &str) -> String {
        format!("{}slots:{node}", self.prefix)
    }

    /// The pub/sub channel of one run's progress events.
    pub fn run_channel(&self, run: Uuid) -> String {
        format!("{}run:{run}", self.prefix)
    }

    /// The pub/sub channel of one cluster's container status updates.
    pub fn containers_channel(&self, cluster: &str) -> String {
        format!("{}containers:{cluster}", self.prefix)
    }
}
