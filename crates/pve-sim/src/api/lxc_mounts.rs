//! Mount points at create (`mpN: STORAGE:SIZE,mp=/path`): each a new volume allocated like the
//! root disk, numbered after it (`vm-<vmid>-disk-1`, …), and a directory in the sandbox. Bind
//! mounts of host paths and existing volumes are not simulated.

use super::lxc_create::{RootDisk, new_volume};
use super::lxc_schema::mp_props;
use super::{ApiError, Call};
use crate::schema::parse_property_string;
pub use crate::state::is_mount_point as is_mount_key;

/// One mount point of the create call.
#[derive(Debug, Clone)]
pub struct MountDisk {
    /// `mp0`, `mp1`, …
    pub key: String,
    pub path: String,
    pub disk: RootDisk,
}

/// The create call's mount points, by index.
pub fn mount_disks(c: &Call, default_storage: &str) -> Result<Vec<MountDisk>, ApiError> {
    let mut keys: Vec<(u32, &String, &String)> = c
        .params
        .iter()
        .filter(|(k, _)| is_mount_key(k))
        .filter_map(|(k, v)| Some((k[2..].parse().ok()?, k, v)))
        .collect();
    keys.sort();
    let mut disks = Vec::new();
    for (_, key, value) in keys {
        let parsed = parse_property_string(&mp_props(), key, value)
            .map_err(|e| ApiError::param(key, format!("invalid format - {e}")))?;
        let volume = parsed.get("volume").cloned().unwrap_or_default();
        let path = parsed.get("mp").cloned().unwrap_or_default();
        if !path.starts_with('/') || path == "/" || path.split('/').any(|p| p == "..") {
            return Err(ApiError::param(
                key,
                format!(
                    "invalid format - mount point path '{path}' must be absolute, not '/' and without '..'"
                ),
            ));
        }
        if volume.starts_with('/') {
            return Err(ApiError::fail(format!(
                "{key}: bind mounts of host paths are not simulated"
            )));
        }
        let extra: Vec<String> = parsed
            .iter()
            .filter(|(k, _)| !["volume", "size", "mp"].contains(&k.as_str()))
            .map(|(k, v)| format!(",{k}={v}"))
            .collect();
        let (storage, bytes) = new_volume(&volume, default_storage, key)?;
        disks.push(MountDisk {
            key: key.clone(),
            path,
            disk: RootDisk {
                storage,
                bytes,
                extra: extra.concat(),
            },
        });
    }
    Ok(disks)
}
