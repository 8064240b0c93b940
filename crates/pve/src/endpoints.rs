//! Every API route the client calls, with the parameters it may send: the single table that
//! the client methods use and that the schema-fidelity test checks against the real PVE 8
//! and PVE 9 API dumps.

pub use crate::route::{Endpoint, Method};

const fn ep(method: Method, path: &'static str, params: &'static [&'static str]) -> Endpoint {
    Endpoint {
        method,
        path,
        params,
    }
}

use Method::{Delete, Get, Post, Put};

/// Config keys the typed create and update requests can set.
pub const LXC_CONFIG_KEYS: &[&str] = &[
    "hostname",
    "cores",
    "cpulimit",
    "cpuunits",
    "memory",
    "swap",
    "rootfs",
    "net[n]",
    "nameserver",
    "searchdomain",
    "features",
    "onboot",
    "startup",
    "protection",
    "tags",
    "description",
    "ostype",
    "arch",
    "timezone",
];

pub const VERSION: Endpoint = ep(Get, "/version", &[]);
pub const ACCESS_TICKET: Endpoint = ep(Post, "/access/ticket", &["username", "password"]);
pub const NODES: Endpoint = ep(Get, "/nodes", &[]);
pub const NODE_STATUS: Endpoint = ep(Get, "/nodes/{node}/status", &[]);
pub const CLUSTER_RESOURCES: Endpoint = ep(Get, "/cluster/resources", &["type"]);
pub const CLUSTER_NEXTID: Endpoint = ep(Get, "/cluster/nextid", &["vmid"]);
pub const STORAGE_LIST: Endpoint = ep(
    Get,
    "/nodes/{node}/storage",
    &["content", "enabled", "storage"],
);
pub const STORAGE_CONTENT: Endpoint = ep(
    Get,
    "/nodes/{node}/storage/{storage}/content",
    &["content", "vmid"],
);
pub const APLINFO_LIST: Endpoint = ep(Get, "/nodes/{node}/aplinfo", &[]);
pub const APLINFO_DOWNLOAD: Endpoint = ep(Post, "/nodes/{node}/aplinfo", &["storage", "template"]);
pub const LXC_LIST: Endpoint = ep(Get, "/nodes/{node}/lxc", &[]);
pub const LXC_CREATE: Endpoint = ep(
    Post,
    "/nodes/{node}/lxc",
    &[
        "vmid",
        "ostemplate",
        "password",
        "ssh-public-keys",
        "storage",
        "unprivileged",
        "start",
        "pool",
        "hostname",
        "cores",
        "cpulimit",
        "cpuunits",
        "memory",
        "swap",
        "rootfs",
        "mp[n]",
        "net[n]",
        "nameserver",
        "searchdomain",
        "features",
        "onboot",
        "startup",
        "protection",
        "tags",
        "description",
        "ostype",
        "arch",
        "timezone",
    ],
);
pub const LXC_CONFIG: Endpoint = ep(
    Get,
    "/nodes/{node}/lxc/{vmid}/config",
    &["current", "snapshot"],
);
/// The settable keys are [`LXC_CONFIG_KEYS`] plus `delete` and `digest`; checked by a test.
pub const LXC_CONFIG_UPDATE: Endpoint = ep(
    Put,
    "/nodes/{node}/lxc/{vmid}/config",
    &[
        "delete",
        "digest",
        "hostname",
        "cores",
        "cpulimit",
        "cpuunits",
        "memory",
        "swap",
        "rootfs",
        "net[n]",
        "nameserver",
        "searchdomain",
        "features",
        "onboot",
        "startup",
        "protection",
        "tags",
        "description",
        "ostype",
        "arch",
        "timezone",
    ],
);
pub const LXC_STATUS: Endpoint = ep(Get, "/nodes/{node}/lxc/{vmid}/status/current", &[]);
pub const LXC_START: Endpoint = ep(Post, "/nodes/{node}/lxc/{vmid}/status/start", &[]);
pub const LXC_STOP: Endpoint = ep(
    Post,
    "/nodes/{node}/lxc/{vmid}/status/stop",
    &["overrule-shutdown"],
);
pub const LXC_SHUTDOWN: Endpoint = ep(
    Post,
    "/nodes/{node}/lxc/{vmid}/status/shutdown",
    &["timeout", "forceStop"],
);
pub const LXC_REBOOT: Endpoint = ep(Post, "/nodes/{node}/lxc/{vmid}/status/reboot", &["timeout"]);
pub const LXC_DELETE: Endpoint = ep(
    Delete,
    "/nodes/{node}/lxc/{vmid}",
    &["purge", "force", "destroy-unreferenced-disks"],
);
pub const LXC_INTERFACES: Endpoint = ep(Get, "/nodes/{node}/lxc/{vmid}/interfaces", &[]);
pub const LXC_RRDDATA: Endpoint = ep(
    Get,
    "/nodes/{node}/lxc/{vmid}/rrddata",
    &["timeframe", "cf"],
);
pub const LXC_SNAPSHOTS: Endpoint = ep(Get, "/nodes/{node}/lxc/{vmid}/snapshot", &[]);
pub const LXC_SNAPSHOT_CREATE: Endpoint = ep(
    Post,
    "/nodes/{node}/lxc/{vmid}/snapshot",
    &["snapname", "description"],
);
pub const LXC_SNAPSHOT_DELETE: Endpoint = ep(
    Delete,
    "/nodes/{node}/lxc/{vmid}/snapshot/{snapname}",
    &["force"],
);
pub const LXC_SNAPSHOT_ROLLBACK: Endpoint = ep(
    Post,
    "/nodes/{node}/lxc/{vmid}/snapshot/{snapname}/rollback",
    &["start"],
);
pub const TASKS: Endpoint = ep(
    Get,
    "/nodes/{node}/tasks",
    &[
        "start",
        "limit",
        "userfilter",
        "typefilter",
        "vmid",
        "errors",
        "source",
        "since",
        "until",
        "statusfilter",
    ],
);
pub const TASK_STATUS: Endpoint = ep(Get, "/nodes/{node}/tasks/{upid}/status", &[]);
pub const TASK_LOG: Endpoint = ep(Get, "/nodes/{node}/tasks/{upid}/log", &["start", "limit"]);

/// All routes the client uses.
pub const ENDPOINTS: &[Endpoint] = &[
    VERSION,
    ACCESS_TICKET,
    NODES,
    NODE_STATUS,
    CLUSTER_RESOURCES,
    CLUSTER_NEXTID,
    STORAGE_LIST,
    STORAGE_CONTENT,
    APLINFO_LIST,
    APLINFO_DOWNLOAD,
    LXC_LIST,
    LXC_CREATE,
    LXC_CONFIG,
    LXC_CONFIG_UPDATE,
    LXC_STATUS,
    LXC_START,
    LXC_STOP,
    LXC_SHUTDOWN,
    LXC_REBOOT,
    LXC_DELETE,
    LXC_INTERFACES,
    LXC_RRDDATA,
    LXC_SNAPSHOTS,
    LXC_SNAPSHOT_CREATE,
    LXC_SNAPSHOT_DELETE,
    LXC_SNAPSHOT_ROLLBACK,
    TASKS,
    TASK_STATUS,
    TASK_LOG,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_update_accepts_every_config_key() {
        for key in LXC_CONFIG_KEYS {
            assert!(LXC_CONFIG_UPDATE.params.contains(key), "{key}");
            assert!(LXC_CREATE.params.contains(key), "{key}");
        }
    }

    #[test]
    fn every_endpoint_is_listed_once() {
        for (i, a) in ENDPOINTS.iter().enumerate() {
            for b in &ENDPOINTS[i + 1..] {
                assert!(
                    !(a.method == b.method && a.path == b.path),
                    "{} {}",
                    a.method,
                    a.path
                );
            }
        }
    }
}
