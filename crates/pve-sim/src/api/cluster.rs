//! `GET /cluster/resources` and `GET /cluster/nextid` (pve-manager `API2/Cluster.pm`).

use serde_json::{Value, json};

use super::{ApiError, Call, Reply};
use crate::schema::{Named, Prop};

pub fn resources_params() -> Vec<Prop> {
    vec![Prop::str("type").one_of(&["vm", "storage", "node", "sdn"])]
}

pub fn nextid_params() -> Vec<Prop> {
    vec![
        Prop::int("vmid")
            .fmt(Named::VmId)
            .range(Some(100.0), Some(999_999_999.0)),
    ]
}

/// Guests come from the last stats broadcast, so new guests show `unknown` and state changes lag.
pub async fn resources(c: Call) -> Result<Reply, ApiError> {
    let kind = c.p("type").map(str::to_string);
    let want = |k: &str| kind.as_deref().is_none_or(|t| t == k);
    let mut out: Vec<Value> = Vec::new();
    if want("vm") {
        let vms: Vec<(u32, String, Option<String>, Option<String>)> = c.sim.read(|s| {
            s.containers
                .values()
                .map(|ct| {
                    (
                        ct.vmid,
                        ct.node.clone(),
                        ct.config.get("hostname").cloned(),
                        ct.lock().map(str::to_string),
                    )
                })
                .collect()
        });
        let broadcast = c.sim.broadcast().clone();
        for (vmid, node, hostname, lock) in vms {
            if !c.can(&format!("/vms/{vmid}"), "VM.Audit") {
                continue;
            }
            let known = broadcast.get(&vmid).filter(|_| !c.sim.is_offline(&node));
            let mut entry = match known {
                Some(v) => v.clone(),
                None => json!({
                    "id": format!("lxc/{vmid}"), "type": "lxc", "vmid": vmid, "node": node,
                    "status": "unknown", "name": hostname.unwrap_or_else(|| format!("CT{vmid}")),
                    "template": 0,
                }),
            };
            // The lock comes from the cluster config, which is live.
            if let (Some(obj), Some(lock)) = (entry.as_object_mut(), lock) {
                obj.insert("lock".into(), json!(lock));
            }
            out.push(entry);
        }
    }
    if want("storage") {
        let entries: Vec<(String, Value)> = c.sim.read(|s| {
            s.nodes
                .iter()
                .filter(|n| !c.sim.is_offline(&n.name))
                .flat_map(|n| {
                    n.storages.iter().map(|st| {
                        let used = s.storage_used(&n.name, st);
                        (
                            st.id.clone(),
                            json!({
                                "id": format!("storage/{}/{}", n.name, st.id),
                                "storage": st.id, "node": n.name, "type": "storage",
                                "status": "available", "plugintype": st.kind,
                                "content": st.content.join(","), "shared": 0,
                                "disk": used, "maxdisk": st.total,
                            }),
                        )
                    })
                })
                .collect()
        });
        for (id, v) in entries {
            let path = format!("/storage/{id}");
            if c.can(&path, "Datastore.Audit") || c.can(&path, "Datastore.AllocateSpace") {
                out.push(v);
            }
        }
    }
    if want("node") {
        let names: Vec<String> = c
            .sim
            .read(|s| s.nodes.iter().map(|n| n.name.clone()).collect());
        for name in names {
            let audit = c.can(&format!("/nodes/{name}"), "Sys.Audit");
            let online = !c.sim.is_offline(&name);
            if let Some(v) = c.sim.read(|s| {
                s.node(&name)
                    .map(|n| super::nodes::node_entry(s, n, online, audit, None))
            }) {
                out.push(v);
            }
        }
    }
    Ok(Reply::data(json!(out)))
}

/// Returns the id as a JSON **string**, as the real Perl code does.
pub async fn nextid(c: Call) -> Result<Reply, ApiError> {
    let used = |id: u32| c.sim.read(|s| s.containers.contains_key(&id));
    if let Some(v) = c.p("vmid") {
        let id: u32 = v.parse().unwrap_or(0);
        if used(id) {
            return Err(ApiError::param("vmid", format!("VM {id} already exists")));
        }
        return Ok(Reply::data(json!(v)));
    }
    (100..1_000_000)
        .find(|id| !used(*id))
        .map(|id| Reply::data(json!(id.to_string())))
        .ok_or_else(|| ApiError::fail("unable to get any free VMID in range [100, 1000000]"))
}
