//! `GET /nodes` and `GET /nodes/{node}/status` (pve-manager `API2/Nodes.pm`).

use serde_json::{Value, json};

use super::{ApiError, Call, Reply};
use crate::sim::now;
use crate::state::{Node, SimState};

/// Memory a node uses: a base for the host plus what its running containers use.
fn node_mem(s: &SimState, n: &Node) -> u64 {
    let guests: u64 = s
        .containers
        .values()
        .filter(|c| c.node == n.name && c.running)
        .map(|c| c.stats.mem)
        .sum();
    (n.memory / 10 + guests).min(n.memory)
}

fn node_cpu(s: &SimState, n: &Node) -> f64 {
    let guests: f64 = s
        .containers
        .values()
        .filter(|c| c.node == n.name && c.running)
        .map(|c| c.stats.cpu)
        .sum();
    (0.01 + rand::random::<f64>() * 0.02 + guests / f64::from(n.cpus.max(1))).min(1.0)
}

/// A node entry of `/nodes` and `/cluster/resources`; figures only with `Sys.Audit`.
pub fn node_entry(
    s: &SimState,
    n: &Node,
    online: bool,
    audit: bool,
    fingerprint: Option<&str>,
) -> Value {
    let mut v = json!({
        "id": format!("node/{}", n.name),
        "node": n.name,
        "type": "node",
        "status": if online { "online" } else { "offline" },
        "level": "",
    });
    if let Some(obj) = v.as_object_mut() {
        if let Some(fp) = fingerprint {
            obj.insert("ssl_fingerprint".into(), json!(fp));
        }
        if online && audit {
            obj.insert("cpu".into(), json!(node_cpu(s, n)));
            obj.insert("maxcpu".into(), json!(n.cpus));
            obj.insert("mem".into(), json!(node_mem(s, n)));
            obj.insert("maxmem".into(), json!(n.memory));
            obj.insert("disk".into(), json!(n.rootfs / 5));
            obj.insert("maxdisk".into(), json!(n.rootfs));
            obj.insert("uptime".into(), json!(now() - n.boot_time));
        }
    }
    v
}

pub async fn list(c: Call) -> Result<Reply, ApiError> {
    let names: Vec<String> = c
        .sim
        .read(|s| s.nodes.iter().map(|n| n.name.clone()).collect());
    let audits: Vec<bool> = names
        .iter()
        .map(|n| c.can(&format!("/nodes/{n}"), "Sys.Audit"))
        .collect();
    let fp = c.sim.fingerprint.clone();
    let data = c.sim.read(|s| {
        s.nodes
            .iter()
            .zip(audits)
            .map(|(n, audit)| node_entry(s, n, !c.sim.is_offline(&n.name), audit, fp.as_deref()))
            .collect::<Vec<_>>()
    });
    Ok(Reply::data(json!(data)))
}

pub async fn status(c: Call) -> Result<Reply, ApiError> {
    let node = c.node();
    c.check(&format!("/nodes/{node}"), &["Sys.Audit"])?;
    let data = c.sim.read(|s| {
        let n = s.node(&node)?;
        let mem = node_mem(s, n);
        let load = |f: f64| format!("{:.2}", f * f64::from(n.cpus) * 0.3);
        Some(json!({
            "uptime": now() - n.boot_time,
            "idle": 0,
            "loadavg": [load(0.2), load(0.15), load(0.1)],
            "kversion": "Linux 6.14.11-4-pve #1 SMP PREEMPT_DYNAMIC PMX 6.14.11-4 (2025-10-10T08:04Z)",
            "current-kernel": {
                "sysname": "Linux",
                "release": "6.14.11-4-pve",
                "version": "#1 SMP PREEMPT_DYNAMIC PMX 6.14.11-4 (2025-10-10T08:04Z)",
                "machine": "x86_64"
            },
            "boot-info": { "mode": "efi", "secureboot": 0 },
            "cpuinfo": {
                "user_hz": 100, "vendor": "GenuineIntel", "family": "6",
                "model": "Intel(R) Xeon(R) Silver 4214 CPU @ 2.20GHz",
                "mhz": "2200.000", "cpus": n.cpus, "sockets": 1, "cores": n.cpus,
                "flags": "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov",
                "hvm": "1"
            },
            "cpu": node_cpu(s, n),
            "wait": 0.0003,
            "memory": { "free": n.memory - mem, "total": n.memory, "available": n.memory - mem, "used": mem },
            "ksm": { "shared": 0 },
            "swap": { "free": 8u64 << 30, "total": 8u64 << 30, "used": 0 },
            "pveversion": format!("pve-manager/{}/{}", super::access::VERSION, super::access::REPOID),
            "rootfs": { "total": n.rootfs, "avail": n.rootfs - n.rootfs / 5, "used": n.rootfs / 5, "free": n.rootfs - n.rootfs / 5 },
        }))
    });
    data.map(Reply::data)
        .ok_or_else(|| ApiError::fail(format!("node '{node}' does not exist")))
}
