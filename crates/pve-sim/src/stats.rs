//! The pvestatd of the simulator: moves the running containers' figures and publishes them to the
//! lagging `/cluster/resources` view once per interval.

use std::sync::Arc;

use serde_json::json;

use crate::sim::{Sim, now};

/// Runs until shutdown.
pub async fn run(sim: Arc<Sim>) {
    let shutdown = sim.shutdown.clone();
    loop {
        tick(&sim);
        let wait = sim
            .scaled(sim.settings.stats_interval_secs)
            .max(std::time::Duration::from_millis(20));
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = crate::sim::wait_shutdown(shutdown.clone()) => return,
        }
    }
}

fn tick(sim: &Sim) {
    let t = now();
    let entries = sim.touch(|s| {
        let cpus: std::collections::HashMap<String, u32> =
            s.nodes.iter().map(|n| (n.name.clone(), n.cpus)).collect();
        s.containers
            .values_mut()
            .map(|ct| {
                if ct.running {
                    let max = ct.maxmem();
                    let r: f64 = rand::random();
                    ct.stats.cpu = 0.005 + r * 0.06;
                    ct.stats.mem = (max as f64 * (0.15 + r * 0.2)) as u64;
                    ct.stats.netin += 2_000 + (r * 40_000.0) as u64;
                    ct.stats.netout += 1_000 + (r * 20_000.0) as u64;
                    ct.stats.diskread += (r * 100_000.0) as u64;
                    ct.stats.diskwrite += (r * 250_000.0) as u64;
                }
                let host_cpus = cpus.get(&ct.node).copied().unwrap_or(1);
                let status = ct.status_json(t, host_cpus);
                let entry = json!({
                    "id": format!("lxc/{}", ct.vmid), "type": "lxc", "vmid": ct.vmid, "node": ct.node,
                    "status": status["status"], "name": status["name"], "uptime": status["uptime"],
                    "cpu": status["cpu"], "maxcpu": status["cpus"], "mem": status["mem"],
                    "maxmem": status["maxmem"], "disk": status["disk"], "maxdisk": status["maxdisk"],
                    "netin": status["netin"], "netout": status["netout"],
                    "diskread": status["diskread"], "diskwrite": status["diskwrite"],
                    "template": u8::from(ct.is_template()),
                });
                let mut entry = entry;
                if let (Some(obj), Some(tags)) = (entry.as_object_mut(), ct.config.get("tags")) {
                    obj.insert("tags".into(), json!(tags));
                }
                (ct.vmid, entry)
            })
            .collect::<std::collections::HashMap<_, _>>()
    });
    *sim.broadcast() = entries;
}
