//! `DELETE /nodes/{node}/lxc/{vmid}` → task `vzdestroy` (pve-container `API2/LXC.pm::destroy_vm`).

use serde_json::json;

use super::lxc_info::load_ct;
use super::{ApiError, Call, Reply};
use crate::schema::Prop;
use crate::tasks;

pub fn params() -> Vec<Prop> {
    vec![
        Prop::bool("purge"),
        Prop::bool("force"),
        Prop::bool("destroy-unreferenced-disks"),
    ]
}

pub async fn destroy(c: Call) -> Result<Reply, ApiError> {
    let (node, vmid) = (c.node(), c.vmid());
    c.check(&format!("/vms/{vmid}"), &["VM.Allocate"])?;
    let ct = load_ct(&c)?;
    if ct.config.get("protection").is_some_and(|p| p == "1") {
        return Err(ApiError::fail(format!(
            "can't remove CT {vmid} - protection mode enabled"
        )));
    }
    if let Some(lock) = ct.lock() {
        return Err(ApiError::fail(format!("CT is locked ({lock})")));
    }
    let force = c.flag("force");
    if ct.running && !force {
        return Err(ApiError::fail(format!(
            "unable to destroy CT {vmid} - container is running"
        )));
    }
    let purge = c.flag("purge");
    let upid = tasks::start(
        &c.sim,
        &node.clone(),
        "vzdestroy",
        &vmid.to_string(),
        c.who()?,
        move |ctx| async move {
            let sim = ctx.sim.clone();
            let _flock = sim
                .flocks
                .lock(&sim, vmid, sim.settings.lock_timeout_secs)
                .await?;
            let ct = sim
                .read(|s| {
                    s.containers
                        .get(&vmid)
                        .filter(|ct| ct.node == node)
                        .cloned()
                })
                .ok_or_else(|| {
                    format!("Configuration file 'nodes/{node}/lxc/{vmid}.conf' does not exist")
                })?;
            if let Some(lock) = ct.lock() {
                return Err(format!("CT is locked ({lock})"));
            }
            if ct.running {
                if !force {
                    return Err(format!(
                        "unable to destroy CT {vmid} - container is running"
                    ));
                }
                sim.write(|s| {
                    if let Some(ct) = s.containers.get_mut(&vmid) {
                        ct.running = false;
                    }
                });
            }
            if let Some(msg) = ctx.injected_failure() {
                return Err(msg);
            }
            sim.write(|s| {
                if let Some(ct) = s.containers.get_mut(&vmid) {
                    ct.config.insert("lock".into(), "destroyed".into());
                }
            });
            ctx.sleep(1.0).await;
            let lvm = ct
                .config
                .get("rootfs")
                .is_some_and(|r| !r.contains(&format!(":{vmid}/")));
            if lvm {
                ctx.log(format!(
                    "  Logical volume \"vm-{vmid}-disk-0\" successfully removed."
                ));
            }
            if purge {
                ctx.log(format!("purging CT {vmid} from related configurations.."));
            }
            // The config goes last; ACLs naming the CT go with it.
            let path = format!("/vms/{vmid}");
            sim.write(|s| {
                s.containers.remove(&vmid);
                s.acl.retain(|a| a.path != path);
            });
            Ok(())
        },
    );
    Ok(Reply::data(json!(upid)))
}
