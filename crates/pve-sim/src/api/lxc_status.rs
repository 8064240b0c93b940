//! Power actions: start, stop, shutdown, reboot (pve-container `API2/LXC/Status.pm`). The lock
//! checks of these happen inside the task, under the config flock.

use std::sync::Arc;

use serde_json::json;

use super::lxc_info::load_ct;
use super::{ApiError, Call, Reply};
use crate::sim::{Sim, now};
use crate::state::perms::AuthId;
use crate::tasks::{self, TaskCtx};

fn check_power(c: &Call) -> Result<(), ApiError> {
    c.check(&format!("/vms/{}", c.vmid()), &["VM.PowerMgmt"])?;
    if c.flag("skiplock") && !c.who()?.is_root() {
        return Err(ApiError::param(
            "skiplock",
            "Only root may use this option.",
        ));
    }
    Ok(())
}

/// The start/stop checks run by the worker: config present, lock free (`mounted` tolerated).
fn task_checks(ctx: &TaskCtx, node: &str, vmid: u32, skiplock: bool) -> Result<(), String> {
    ctx.sim.read(|s| {
        let ct = s
            .containers
            .get(&vmid)
            .filter(|ct| ct.node == node)
            .ok_or_else(|| {
                format!("Configuration file 'nodes/{node}/lxc/{vmid}.conf' does not exist")
            })?;
        match ct.lock() {
            Some(lock) if !skiplock && lock != "mounted" => Err(format!("CT is locked ({lock})")),
            _ => Ok(()),
        }
    })
}

/// Marks a container running and applies its pending changes (the config is re-read at start).
fn set_running(sim: &Sim, vmid: u32, running: bool) {
    sim.write(|s| {
        if let Some(ct) = s.containers.get_mut(&vmid) {
            ct.running = running;
            if running {
                let pending = std::mem::take(&mut ct.pending);
                ct.config.extend(pending);
                for k in std::mem::take(&mut ct.pending_delete) {
                    ct.config.remove(&k);
                }
                ct.started_at = Some(now());
                ct.stats.mem = ct.maxmem() / 8;
                ct.stats.cpu = 0.02;
            } else {
                ct.started_at = None;
                ct.stats.mem = 0;
                ct.stats.swap = 0;
                ct.stats.cpu = 0.0;
                ct.stats.netin = 0;
                ct.stats.netout = 0;
            }
        }
    });
}

/// Starts a `vzstart` task (also used by create with `start=1`).
pub fn start_task(sim: &Arc<Sim>, node: &str, vmid: u32, who: &AuthId, skiplock: bool) -> String {
    let node_t = node.to_string();
    tasks::start(
        sim,
        node,
        "vzstart",
        &vmid.to_string(),
        who,
        move |ctx| async move {
            let sim = ctx.sim.clone();
            let _flock = sim
                .flocks
                .lock(&sim, vmid, sim.settings.lock_timeout_secs)
                .await?;
            task_checks(&ctx, &node_t, vmid, skiplock)?;
            if sim.read(|s| s.containers.get(&vmid).is_some_and(|ct| ct.is_template())) {
                return Err("you can't start a CT if it's a template".into());
            }
            ctx.sleep(1.5).await;
            if let Some(msg) = ctx.injected_failure() {
                return Err(format!("startup for container '{vmid}' failed: {msg}"));
            }
            set_running(&sim, vmid, true);
            Ok(())
        },
    )
}

pub async fn start(c: Call) -> Result<Reply, ApiError> {
    check_power(&c)?;
    let (node, vmid) = (c.node(), c.vmid());
    // A missing CT only fails inside the task.
    if let Ok(ct) = load_ct(&c)
        && ct.running
    {
        return Err(ApiError::fail(format!("CT {vmid} already running")));
    }
    let upid = start_task(&c.sim, &node, vmid, c.who()?, c.flag("skiplock"));
    Ok(Reply::data(json!(upid)))
}

/// A stop-like task: flock, checks, a pause, then the container is stopped.
fn stop_like(c: &Call, kind: &'static str, secs: f64, restart: bool) -> Result<String, ApiError> {
    let (node, vmid) = (c.node(), c.vmid());
    let skiplock = c.flag("skiplock");
    Ok(tasks::start(
        &c.sim,
        &node.clone(),
        kind,
        &vmid.to_string(),
        c.who()?,
        move |ctx| async move {
            let sim = ctx.sim.clone();
            let flock = sim
                .flocks
                .lock(&sim, vmid, sim.settings.lock_timeout_secs)
                .await?;
            task_checks(&ctx, &node, vmid, skiplock)?;
            ctx.sleep(secs).await;
            if let Some(msg) = ctx.injected_failure() {
                return Err(msg);
            }
            set_running(&sim, vmid, false);
            if restart {
                ctx.sleep(secs).await;
                set_running(&sim, vmid, true);
            }
            drop(flock);
            Ok(())
        },
    ))
}

fn require_running(c: &Call, word: &str) -> Result<(), ApiError> {
    let ct = load_ct(c)?;
    if !ct.running {
        return Err(ApiError::fail(format!("{word} {} not running", ct.vmid)));
    }
    Ok(())
}

pub async fn stop(c: Call) -> Result<Reply, ApiError> {
    check_power(&c)?;
    require_running(&c, "CT")?;
    Ok(Reply::data(json!(stop_like(&c, "vzstop", 0.5, false)?)))
}

pub async fn shutdown(c: Call) -> Result<Reply, ApiError> {
    check_power(&c)?;
    require_running(&c, "CT")?;
    Ok(Reply::data(json!(stop_like(&c, "vzshutdown", 2.0, false)?)))
}

pub async fn reboot(c: Call) -> Result<Reply, ApiError> {
    check_power(&c)?;
    // Sic: the real reboot says "VM", not "CT".
    require_running(&c, "VM")?;
    Ok(Reply::data(json!(stop_like(&c, "vzreboot", 1.5, true)?)))
}
