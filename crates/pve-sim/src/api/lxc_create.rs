//! `POST /nodes/{node}/lxc`: the synchronous checks in the real order (PVE-API.md §4.7), then the
//! `vzcreate` task that allocates the disk, "extracts" the template and unlocks the config.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::lxc_create_task::CreateJob;
use super::lxc_mounts::{is_mount_key, mount_disks};
use super::lxc_options::{check_bridges, check_option_perms, stored_value};
use super::lxc_schema::rootfs_props;
use super::{ApiError, Call, Reply};
use crate::schema::{disk_size_bytes, parse_property_string};
use crate::state::Container;
use crate::tasks;

/// Options the create call takes that are not stored in the config.
const TRANSIENT: &[&str] = &[
    "node",
    "vmid",
    "ostemplate",
    "password",
    "ssh-public-keys",
    "storage",
    "start",
    "pool",
    "force",
    "restore",
    "unique",
    "ignore-unpack-errors",
    "bwlimit",
];

/// Where the new root disk goes and how big it is.
#[derive(Debug, Clone)]
pub struct RootDisk {
    pub storage: String,
    pub bytes: u64,
    /// Other rootfs options (`,mountoptions=noatime`), kept in the final config.
    pub extra: String,
}

fn root_disk(c: &Call) -> Result<RootDisk, ApiError> {
    let default_storage = c.p("storage").unwrap_or("local").to_string();
    let Some(rootfs) = c.p("rootfs") else {
        return Ok(RootDisk {
            storage: default_storage,
            bytes: 4 << 30,
            extra: String::new(),
        });
    };
    let parsed = parse_property_string(&rootfs_props(), "rootfs", rootfs)
        .map_err(|e| ApiError::param("rootfs", format!("invalid format - {e}")))?;
    let volume = parsed.get("volume").cloned().unwrap_or_default();
    let extra: Vec<String> = parsed
        .iter()
        .filter(|(k, _)| k.as_str() != "volume" && k.as_str() != "size")
        .map(|(k, v)| format!(",{k}={v}"))
        .collect();
    let (storage, bytes) = new_volume(&volume, &default_storage, "rootfs")?;
    Ok(RootDisk {
        storage,
        bytes,
        extra: extra.concat(),
    })
}

/// The storage and size of a volume to allocate: `STORAGE:SIZE`, or a bare number on `storage`.
pub fn new_volume(
    volume: &str,
    default_storage: &str,
    key: &str,
) -> Result<(String, u64), ApiError> {
    let (storage, size) = match volume.split_once(':') {
        Some((sid, size)) => (sid.to_string(), size),
        None => (default_storage.to_string(), volume),
    };
    let bytes = disk_size_bytes(size).ok_or_else(|| {
        ApiError::fail(format!(
            "unable to parse {key} volume '{volume}' - not a size"
        ))
    })?;
    Ok((storage, bytes))
}

pub fn size_text(bytes: u64) -> String {
    if bytes.is_multiple_of(1 << 30) {
        format!("{}G", bytes >> 30)
    } else {
        format!("{}M", bytes >> 20)
    }
}

fn valid_ssh_keys(keys: &str) -> bool {
    keys.lines().filter(|l| !l.trim().is_empty()).all(|l| {
        let mut parts = l.split_whitespace();
        let kind = parts.next().unwrap_or("");
        let blob = parts.next().unwrap_or("");
        (kind.starts_with("ssh-") || kind.starts_with("ecdsa-") || kind.starts_with("sk-"))
            && blob.len() > 16
    })
}

pub async fn create(c: Call) -> Result<Reply, ApiError> {
    let node = c.node();
    let vmid = c.vmid();
    let unprivileged = c.p("unprivileged").is_none_or(|v| v == "1"); // PVE 9 default: 1
    if !unprivileged {
        c.check("/", &["Sys.Modify"])?;
    }
    if let Some(other) = c
        .sim
        .read(|s| s.containers.get(&vmid).map(|ct| ct.node.clone()))
    {
        return Err(ApiError::fail(format!(
            "CT {vmid} already exists on node '{other}'"
        )));
    }
    if c.p("ssh-public-keys").is_some_and(|k| !valid_ssh_keys(k)) {
        return Err(ApiError::fail("SSH public key validation error"));
    }
    if let Some(pool) = c.p("pool") {
        // The simulator has no pools (yet): every pool is missing.
        return Err(ApiError::perm(format!("pool '{pool}' does not exist")));
    }
    c.check(&format!("/vms/{vmid}"), &["VM.Allocate"])?;
    let ostemplate = c.p("ostemplate").unwrap_or_default().to_string();
    let Some((tstorage, volname)) = ostemplate.split_once(':') else {
        if !c.who()?.is_root() {
            return Err(ApiError::fail(
                "Only root can pass arbitrary filesystem paths.",
            ));
        }
        return Err(ApiError::fail(format!(
            "unable to create CT {vmid} - can't find file '{ostemplate}'"
        )));
    };
    if !volname.starts_with("vztmpl/") {
        return Err(ApiError::fail(format!(
            "unable to use volume {ostemplate} - content type needs to be 'vztmpl'"
        )));
    }
    c.check_any(
        &format!("/storage/{tstorage}"),
        &["Datastore.AllocateSpace", "Datastore.Audit"],
    )?;
    check_option_perms(&c, &c.params, unprivileged, &BTreeSet::new())?;
    let disk = root_disk(&c)?;
    c.check(
        &format!("/storage/{}", disk.storage),
        &["Datastore.AllocateSpace"],
    )?;
    check_storage(&c, &node, &disk.storage)?;
    let default_storage = c.p("storage").unwrap_or("local");
    let mounts = mount_disks(&c, default_storage)?;
    for mount in &mounts {
        c.check(
            &format!("/storage/{}", mount.disk.storage),
            &["Datastore.AllocateSpace"],
        )?;
        check_storage(&c, &node, &mount.disk.storage)?;
    }
    check_bridges(&c, &node, &c.params)?;

    let mut config = BTreeMap::new();
    for (k, v) in c
        .params
        .iter()
        .filter(|(k, _)| !TRANSIENT.contains(&k.as_str()))
    {
        // The disks enter the config once the task allocated them.
        if k != "rootfs" && !is_mount_key(k) {
            config.insert(k.clone(), stored_value(k, v));
        }
    }
    config.insert("unprivileged".into(), u8::from(unprivileged).to_string());
    config.insert("lock".into(), "create".into());
    // create_and_lock_config: under the flock (5 s), the stub config appears at once, locked;
    // the task keeps holding the flock until it is done.
    let flock = c
        .sim
        .flocks
        .lock(&c.sim, vmid, 5.0)
        .await
        .map_err(ApiError::fail)?;
    c.sim.write(|s| {
        if let Some(other) = s.containers.get(&vmid) {
            return Err(ApiError::fail(format!(
                "unable to create CT {vmid} - CT {vmid} already exists on node '{}'",
                other.node
            )));
        }
        let mut ct = Container::new(vmid, &node);
        ct.config = config;
        s.containers.insert(vmid, ct);
        Ok(())
    })?;

    let who = c.who()?.clone();
    let start_after = c.flag("start");
    let job = CreateJob {
        vmid,
        node: node.clone(),
        ostemplate: ostemplate.clone(),
        tstorage: tstorage.to_string(),
        volname: volname.to_string(),
        disk,
        mounts,
        who: who.clone(),
        start_after,
        ssh_keys: c.p("ssh-public-keys").map(str::to_string),
    };
    let upid = tasks::start(
        &c.sim,
        &node,
        "vzcreate",
        &vmid.to_string(),
        &who,
        move |ctx| async move {
            let result = job.run(&ctx).await;
            drop(flock);
            if result.is_err() {
                // On error the allocated disks and the config are removed.
                ctx.sim.write(|s| s.containers.remove(&job.vmid));
            }
            result.map_err(|e| format!("unable to create CT {} - {e}", job.vmid))
        },
    );
    Ok(Reply::data(json!(upid)))
}

fn check_storage(c: &Call, node: &str, sid: &str) -> Result<(), ApiError> {
    c.sim.read(|s| {
        if !s.storage_defined(sid) {
            return Err(ApiError::fail(format!("storage '{sid}' does not exist")));
        }
        let Some(st) = s.storage(node, sid) else {
            return Err(ApiError::fail(format!(
                "storage '{sid}' is not available on node '{node}'"
            )));
        };
        if !st.enabled {
            return Err(ApiError::fail(format!("storage '{sid}' is disabled")));
        }
        if !st.content.iter().any(|x| x == "rootdir") {
            return Err(ApiError::param(
                "storage",
                format!("storage '{sid}' does not support container directories"),
            ));
        }
        Ok(())
    })
}
