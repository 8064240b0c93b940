//! Gathering a container's detail: the row from the poller's snapshot (so an unknown VMID is
//! refused without asking Proxmox), then Proxmox for what only it knows. A part Proxmox cannot
//! give (interfaces of a stopped container, say) becomes a gap, not an error.

use super::api::{DetailView, Sample, SnapshotView};
use crate::AppError;
use crate::containers::api_ssr::{proxmox, snapshot};
use crate::state::app_state;
use berth_auth::policy::{self, Action};
use berth_db::actions;
use berth_db::runs::{self, RunFilter};
use berth_pve::types::RrdTimeframe;
use chrono::{DateTime, SecondsFormat};

/// Configuration keys shown, in this order (the rest is Proxmox's business).
const SHOWN: [&str; 10] = [
    "hostname", "ostype", "arch", "cores", "memory", "swap", "rootfs", "net0", "onboot", "tags",
];

pub async fn detail(vmid: u32) -> Result<DetailView, AppError> {
    let principal = crate::auth::require(Action::ViewContainers)?;
    let state = app_state()?;
    let row = snapshot(&state)
        .await?
        .and_then(|s| s.containers.into_iter().find(|r| r.vmid == vmid))
        .ok_or_else(|| AppError::invalid("vmid", format!("There is no container {vmid}.")))?;
    let pve = proxmox(&state)?;
    let node = row.node.clone();
    let mut gaps = Vec::new();
    let mut note = |what: &str, error: berth_pve::Error| gaps.push(format!("{what}: {error}"));

    let config = match pve.lxc_config(&node, vmid, true).await {
        Ok(config) => {
            let value = serde_json::to_value(&config.other).unwrap_or_default();
            let typed = [
                ("hostname", config.hostname.clone()),
                ("cores", config.cores.map(|c| c.to_string())),
                ("memory", config.memory.map(|m| format!("{m} MiB"))),
                ("swap", config.swap.map(|m| format!("{m} MiB"))),
                ("rootfs", config.rootfs.clone()),
                (
                    "onboot",
                    Some(if config.onboot { "yes" } else { "no" }.into()),
                ),
                ("tags", config.tags.clone()),
            ];
            SHOWN
                .iter()
                .filter_map(|key| {
                    let shown = typed
                        .iter()
                        .find(|(k, _)| k == key)
                        .and_then(|(_, v)| v.clone())
                        .or_else(|| value.get(*key).map(json_text));
                    shown.map(|v| ((*key).to_string(), v))
                })
                .collect()
        }
        Err(error) => {
            note("configuration", error);
            Vec::new()
        }
    };
    let addresses = if row.is_running() {
        match pve.lxc_interfaces(&node, vmid).await {
            Ok(interfaces) => interfaces
                .unwrap_or_default()
                .into_iter()
                .filter(|i| i.name != "lo")
                .flat_map(|i| {
                    let name = i.name.clone();
                    i.ip_addresses
                        .into_iter()
                        .map(move |a| format!("{name}: {}/{}", a.address, a.prefix))
                })
                .collect(),
            Err(error) => {
                note("addresses", error);
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };
    let snapshots = match pve.lxc_snapshots(&node, vmid).await {
        Ok(list) => list
            .into_iter()
            .filter(|s| s.name != "current")
            .map(|s| SnapshotView {
                name: s.name,
                description: s.description.unwrap_or_default().trim().to_string(),
                taken_at: s
                    .snaptime
                    .and_then(|t| DateTime::from_timestamp(t, 0))
                    .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
                parent: s.parent,
            })
            .collect(),
        Err(error) => {
            note("snapshots", error);
            Vec::new()
        }
    };
    let history = match pve
        .lxc_rrddata(&node, vmid, RrdTimeframe::Hour, false)
        .await
    {
        Ok(points) => points
            .into_iter()
            .map(|p| Sample {
                time: p.time,
                cpu: p.get("cpu").unwrap_or_default(),
                mem: p.get("mem").unwrap_or_default(),
                maxmem: p.get("maxmem").unwrap_or_default(),
                netin: p.get("netin").unwrap_or_default(),
                netout: p.get("netout").unwrap_or_default(),
            })
            .collect(),
        Err(error) => {
            note("graphs", error);
            Vec::new()
        }
    };

    let mut conn = state.db().get().await.map_err(AppError::internal)?;
    let filter = RunFilter {
        vmid: i32::try_from(vmid).ok(),
        limit: 20,
        ..RunFilter::default()
    };
    let runs = runs::list(&mut conn, &filter)
        .await
        .map_err(AppError::internal)?;
    let actions = actions::for_container(&mut conn, vmid, 20)
        .await
        .map_err(AppError::internal)?;
    Ok(DetailView {
        row,
        config,
        addresses,
        snapshots,
        history,
        runs,
        actions,
        can_act: policy::require(&principal, Action::ManageContainer).is_ok(),
        gaps,
    })
}

fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
