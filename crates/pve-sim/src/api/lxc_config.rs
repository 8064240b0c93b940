//! `GET/PUT …/lxc/{vmid}/config` and `GET …/pending` (pve-container `API2/LXC/Config.pm`,
//! `LXC/Config.pm::update_pct_config`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::lxc_info::load_ct;
use super::lxc_options::{check_bridges, check_option_perms, stored_value};
use super::lxc_schema::{config_prop, is_config_key};
use super::{ApiError, Call, Reply};
use crate::schema::{Prop, typed};

const CONFIG_PRIVS: &[&str] = &[
    "VM.Config.Disk",
    "VM.Config.CPU",
    "VM.Config.Memory",
    "VM.Config.Network",
    "VM.Config.Options",
];

/// Applied at once on a running CT; everything else waits for a reboot (hot-plug included).
const LIVE: &[&str] = &[
    "hostname",
    "cores",
    "description",
    "onboot",
    "startup",
    "protection",
    "hookscript",
    "tags",
    "memory",
    "swap",
    "cpulimit",
    "cpuunits",
];

pub fn get_params() -> Vec<Prop> {
    vec![
        Prop::bool("current"),
        Prop::str("snapshot")
            .fmt(crate::schema::Named::ConfigId)
            .max_len(40),
    ]
}

fn typed_map(cfg: &BTreeMap<String, String>) -> Map<String, Value> {
    cfg.iter()
        .map(|(k, v)| (k.clone(), typed(config_prop(k), v)))
        .collect()
}

pub async fn get(c: Call) -> Result<Reply, ApiError> {
    c.check(&format!("/vms/{}", c.vmid()), &["VM.Audit"])?;
    let ct = load_ct(&c)?;
    if let Some(name) = c.p("snapshot") {
        let snap = ct
            .snapshots
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| ApiError::fail(format!("snapshot '{name}' does not exist")))?;
        let mut m = typed_map(&snap.config);
        m.insert("digest".into(), json!(ct.digest()));
        m.insert("snaptime".into(), json!(snap.snaptime));
        return Ok(Reply::data(Value::Object(m)));
    }
    let mut cfg = ct.config.clone();
    if !c.flag("current") {
        // Pending values are shown merged in by default.
        cfg.extend(ct.pending.clone());
    }
    let mut m = typed_map(&cfg);
    m.insert("digest".into(), json!(ct.digest()));
    Ok(Reply::data(Value::Object(m)))
}

pub async fn pending(c: Call) -> Result<Reply, ApiError> {
    c.check(&format!("/vms/{}", c.vmid()), &["VM.Audit"])?;
    let ct = load_ct(&c)?;
    let keys: BTreeSet<&String> = ct
        .config
        .keys()
        .chain(ct.pending.keys())
        .chain(ct.pending_delete.iter())
        .collect();
    let items: Vec<Value> = keys
        .into_iter()
        .map(|k| {
            let mut m = Map::new();
            m.insert("key".into(), json!(k));
            if let Some(v) = ct.config.get(k) {
                m.insert("value".into(), typed(config_prop(k), v));
            }
            if let Some(v) = ct.pending.get(k) {
                m.insert("pending".into(), typed(config_prop(k), v));
            }
            if ct.pending_delete.contains(k) {
                m.insert("delete".into(), json!(1));
            }
            Value::Object(m)
        })
        .collect();
    Ok(Reply::data(json!(items)))
}

fn split_list(v: Option<&str>) -> Vec<String> {
    v.unwrap_or_default()
        .split([',', ';', ' '])
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

pub async fn update(c: Call) -> Result<Reply, ApiError> {
    let (node, vmid) = (c.node(), c.vmid());
    let vm = format!("/vms/{vmid}");
    c.check_any(&vm, CONFIG_PRIVS)?;
    let changes: BTreeMap<String, String> = c
        .params
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "node" | "vmid" | "digest" | "delete" | "revert"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let deletes = split_list(c.p("delete"));
    let reverts = split_list(c.p("revert"));
    if changes.is_empty() && deletes.is_empty() && reverts.is_empty() {
        return Err(ApiError::fail("no options specified"));
    }
    for d in &deletes {
        if !is_config_key(d) {
            return Err(ApiError::param("delete", format!("unknown option '{d}'")));
        }
    }
    let unprivileged = load_ct(&c)?
        .config
        .get("unprivileged")
        .is_some_and(|v| v == "1");
    check_option_perms(
        &c,
        &c.params,
        unprivileged,
        &deletes.iter().cloned().collect(),
    )?;

    let _flock = c
        .sim
        .flocks
        .lock(&c.sim, vmid, c.sim.settings.lock_timeout_secs)
        .await
        .map_err(ApiError::fail)?;
    let ct = load_ct(&c)?;
    if let Some(lock) = ct.lock() {
        return Err(ApiError::fail(format!("CT is locked ({lock})")));
    }
    if c.p("digest").is_some_and(|d| d != ct.digest()) {
        return Err(ApiError::fail(
            "detected modified configuration - file changed by other user? Try again.",
        ));
    }
    for d in &deletes {
        if changes.contains_key(d) {
            return Err(ApiError::fail(format!(
                "you can't use '-{d}' and -delete {d}' at the same time"
            )));
        }
        if matches!(d.as_str(), "memory" | "rootfs" | "ostype") {
            return Err(ApiError::fail(format!(
                "unable to delete required option '{d}'"
            )));
        }
    }
    if changes.contains_key("unprivileged") || deletes.iter().any(|d| d == "unprivileged") {
        return Err(ApiError::fail(
            "unable to modify read-only option: 'unprivileged'",
        ));
    }
    if ct.config.get("protection").is_some_and(|p| p == "1") && changes.contains_key("rootfs") {
        return Err(ApiError::fail(format!(
            "can't update CT {vmid} drive 'rootfs' - protection mode enabled"
        )));
    }
    check_bridges(&c, &node, &changes)?;

    c.sim.write(|s| {
        let Some(ct) = s.containers.get_mut(&vmid) else {
            return;
        };
        for r in &reverts {
            ct.pending.remove(r);
            ct.pending_delete.remove(r);
        }
        let running = ct.running;
        let live = |k: &str| !running || LIVE.contains(&k) || k.starts_with("net");
        for (k, v) in &changes {
            let v = stored_value(k, v);
            if live(k) {
                ct.config.insert(k.clone(), v);
                ct.pending.remove(k);
            } else {
                ct.pending.insert(k.clone(), v);
            }
        }
        for d in &deletes {
            if live(d) {
                ct.config.remove(d);
                ct.pending.remove(d);
            } else {
                ct.pending_delete.insert(d.clone());
            }
        }
    });
    Ok(Reply::null())
}
