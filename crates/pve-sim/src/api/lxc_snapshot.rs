//! Snapshots: list, create, delete, rollback (pve-container `API2/LXC/Snapshot.pm`,
//! pve-guest-common `AbstractConfig.pm`). Lock checks happen in the tasks.

use serde_json::{Value, json};

use super::lxc_info::load_ct;
use super::{ApiError, Call, Reply};
use crate::sim::{Sim, now};
use crate::state::Snapshot;
use crate::tasks::{self, TaskCtx};

pub async fn list(c: Call) -> Result<Reply, ApiError> {
    c.check(&format!("/vms/{}", c.vmid()), &["VM.Audit"])?;
    let ct = load_ct(&c)?;
    let mut out: Vec<Value> = ct
        .snapshots
        .iter()
        .map(|s| {
            let mut v =
                json!({ "name": s.name, "snaptime": s.snaptime, "description": s.description });
            if let (Some(obj), Some(p)) = (v.as_object_mut(), &s.parent) {
                obj.insert("parent".into(), json!(p));
            }
            v
        })
        .collect();
    let mut current = json!({
        "name": "current", "digest": ct.digest(), "running": u8::from(ct.running),
        "description": "You are here!",
    });
    if let (Some(obj), Some(p)) = (current.as_object_mut(), &ct.parent) {
        obj.insert("parent".into(), json!(p));
    }
    out.push(current);
    Ok(Reply::data(json!(out)))
}

/// Takes the config lock property for a snapshot operation, or fails like `check_lock`.
fn set_lock(sim: &Sim, vmid: u32, lock: &str) -> Result<(), String> {
    sim.write(|s| {
        let ct = s.containers.get_mut(&vmid).ok_or("container vanished")?;
        if let Some(l) = ct.lock() {
            return Err(format!("CT is locked ({l})"));
        }
        ct.config.insert("lock".into(), lock.into());
        Ok(())
    })
}

fn clear_lock(sim: &Sim, vmid: u32) {
    sim.write(|s| {
        if let Some(ct) = s.containers.get_mut(&vmid) {
            ct.config.remove("lock");
        }
    });
}

/// Runs a snapshot task body between setting and clearing the config lock.
async fn locked<F>(ctx: &TaskCtx, vmid: u32, lock: &str, body: F) -> Result<(), String>
where
    F: FnOnce(&Sim) -> Result<(), String>,
{
    set_lock(&ctx.sim, vmid, lock)?;
    ctx.sleep(1.5).await;
    let result = match ctx.injected_failure() {
        Some(msg) => Err(msg),
        None => body(&ctx.sim),
    };
    clear_lock(&ctx.sim, vmid);
    result
}

pub async fn create(c: Call) -> Result<Reply, ApiError> {
    let vmid = c.vmid();
    c.check(&format!("/vms/{vmid}"), &["VM.Snapshot"])?;
    let ct = load_ct(&c)?;
    let name = c.p("snapname").unwrap_or_default().to_string();
    if name == "current" || name == "vzdump" {
        return Err(ApiError::fail(format!(
            "unable to use snapshot name '{name}' (reserved name)"
        )));
    }
    let description = c.p("description").unwrap_or_default().to_string();
    let on_dir = ct
        .config
        .get("rootfs")
        .is_some_and(|r| r.contains(&format!(":{vmid}/")) && r.contains(".raw"));
    let upid = tasks::start(
        &c.sim,
        &c.node(),
        "vzsnapshot",
        &vmid.to_string(),
        c.who()?,
        move |ctx| async move {
            let exists = ctx.sim.read(|s| {
                s.containers
                    .get(&vmid)
                    .is_some_and(|ct| ct.snapshots.iter().any(|x| x.name == name))
            });
            if exists {
                return Err(format!("snapshot name '{name}' already used"));
            }
            if on_dir {
                return Err("snapshot feature is not available".into());
            }
            locked(&ctx, vmid, "snapshot", |sim| {
                sim.write(|s| {
                    if let Some(ct) = s.containers.get_mut(&vmid) {
                        let mut config = ct.config.clone();
                        config.remove("lock");
                        ct.snapshots.push(Snapshot {
                            name: name.clone(),
                            snaptime: now(),
                            description,
                            parent: ct.parent.clone(),
                            config,
                            running: ct.running,
                        });
                        ct.parent = Some(name);
                    }
                });
                Ok(())
            })
            .await
        },
    );
    Ok(Reply::data(json!(upid)))
}

pub async fn delete(c: Call) -> Result<Reply, ApiError> {
    let vmid = c.vmid();
    c.check(&format!("/vms/{vmid}"), &["VM.Snapshot"])?;
    load_ct(&c)?;
    let name = c.p("snapname").unwrap_or_default().to_string();
    let upid = tasks::start(
        &c.sim,
        &c.node(),
        "vzdelsnapshot",
        &vmid.to_string(),
        c.who()?,
        move |ctx| async move {
            let snap = ctx.sim.read(|s| {
                s.containers
                    .get(&vmid)
                    .and_then(|ct| ct.snapshots.iter().find(|x| x.name == name).cloned())
            });
            let Some(snap) = snap else {
                return Err(format!("snapshot '{name}' does not exist"));
            };
            locked(&ctx, vmid, "snapshot-delete", |sim| {
                sim.write(|s| {
                    if let Some(ct) = s.containers.get_mut(&vmid) {
                        ct.snapshots.retain(|x| x.name != name);
                        for child in ct
                            .snapshots
                            .iter_mut()
                            .filter(|x| x.parent.as_deref() == Some(&name))
                        {
                            child.parent = snap.parent.clone();
                        }
                        if ct.parent.as_deref() == Some(&name) {
                            ct.parent = snap.parent.clone();
                        }
                    }
                });
                Ok(())
            })
            .await
        },
    );
    Ok(Reply::data(json!(upid)))
}

pub async fn rollback(c: Call) -> Result<Reply, ApiError> {
    let vmid = c.vmid();
    c.check_any(
        &format!("/vms/{vmid}"),
        &["VM.Snapshot", "VM.Snapshot.Rollback"],
    )?;
    load_ct(&c)?;
    let name = c.p("snapname").unwrap_or_default().to_string();
    let start = c.flag("start");
    let (node, who) = (c.node(), c.who()?.clone());
    let upid = tasks::start(
        &c.sim,
        &node.clone(),
        "vzrollback",
        &vmid.to_string(),
        &who.clone(),
        move |ctx| async move {
            let snap = ctx.sim.read(|s| {
                s.containers
                    .get(&vmid)
                    .and_then(|ct| ct.snapshots.iter().find(|x| x.name == name).cloned())
            });
            let Some(snap) = snap else {
                return Err(format!("snapshot '{name}' does not exist"));
            };
            // A running CT is stopped first.
            ctx.sim.write(|s| {
                if let Some(ct) = s.containers.get_mut(&vmid) {
                    ct.running = false;
                    ct.started_at = None;
                    ct.stats.cpu = 0.0;
                    ct.stats.mem = 0;
                }
            });
            locked(&ctx, vmid, "rollback", |sim| {
                sim.write(|s| {
                    if let Some(ct) = s.containers.get_mut(&vmid) {
                        ct.config = snap.config.clone();
                        ct.config.insert("lock".into(), "rollback".into());
                        ct.pending.clear();
                        ct.pending_delete.clear();
                        ct.parent = Some(name.clone());
                    }
                });
                Ok(())
            })
            .await?;
            if start {
                super::lxc_status::start_task(&ctx.sim, &node, vmid, &who, false);
            }
            Ok(())
        },
    );
    Ok(Reply::data(json!(upid)))
}
