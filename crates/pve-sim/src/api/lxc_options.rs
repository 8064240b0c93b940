//! Per-option rules shared by create and config update: privilege checks (PVE-API.md §7.1,
//! pve-container `LXC.pm::check_ct_modify_config_perm`) and how values are stored.

use std::collections::BTreeSet;

use super::lxc_schema::{features_props, net_props};
use super::{ApiError, Call};
use crate::schema::{Params, parse_property_string, print_property_string};

/// Keys of a create/update call that are not config options.
const NOT_OPTIONS: &[&str] = &[
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
    "delete",
    "revert",
    "digest",
];

fn is_net(key: &str) -> bool {
    key.strip_prefix("net")
        .is_some_and(|i| i.parse::<u32>().is_ok())
}

/// Checks the privileges each option needs, in key order (the real order is Perl hash order).
pub fn check_option_perms(
    c: &Call,
    params: &Params,
    unprivileged: bool,
    deleting: &BTreeSet<String>,
) -> Result<(), ApiError> {
    let vm = format!("/vms/{}", c.vmid());
    let is_root = c.who()?.is_root();
    let keys: BTreeSet<&str> = params
        .keys()
        .map(String::as_str)
        .chain(deleting.iter().map(String::as_str))
        .filter(|k| !NOT_OPTIONS.contains(k))
        .collect();
    for key in keys {
        match key {
            "cores" | "cpulimit" | "cpuunits" => c.check(&vm, &["VM.Config.CPU"])?,
            "memory" | "swap" => c.check(&vm, &["VM.Config.Memory"])?,
            k if k == "rootfs" || super::lxc_mounts::is_mount_key(k) => {
                c.check(&vm, &["VM.Config.Disk"])?;
                if let Some(sid) = params.get(k).and_then(|r| r.split([':', ',']).next()) {
                    c.check(&format!("/storage/{sid}"), &["Datastore.AllocateSpace"])?;
                }
            }
            "hostname" | "nameserver" | "searchdomain" => c.check(&vm, &["VM.Config.Network"])?,
            k if is_net(k) => {
                c.check(&vm, &["VM.Config.Network"])?;
                if let Some(net) = params
                    .get(k)
                    .and_then(|v| parse_property_string(&net_props(), k, v).ok())
                    && let Some(bridge) = net.get("bridge")
                {
                    let path = match net.get("tag") {
                        Some(tag) => format!("/sdn/zones/localnetwork/{bridge}/{tag}"),
                        None => format!("/sdn/zones/localnetwork/{bridge}"),
                    };
                    c.check(&path, &["SDN.Use"])?;
                }
            }
            "features" => {
                let feats = params
                    .get("features")
                    .and_then(|v| parse_property_string(&features_props(), "features", v).ok())
                    .unwrap_or_default();
                let others = feats.iter().any(|(k, v)| k != "nesting" && v != "0");
                if others && !is_root {
                    return Err(ApiError::perm(
                        "changing feature flags (except nesting) is only allowed for root@pam",
                    ));
                }
                if feats.get("nesting").is_some_and(|v| v == "1") && !unprivileged && !is_root {
                    return Err(ApiError::perm(
                        "changing feature flags for privileged container is only allowed for root@pam",
                    ));
                }
                c.check(&vm, &["VM.Allocate"])?;
            }
            "hookscript" if !is_root => {
                return Err(ApiError::perm(
                    "changing the hookscript is only allowed for root@pam",
                ));
            }
            _ => c.check(&vm, &["VM.Config.Options"])?,
        }
    }
    Ok(())
}

/// A random MAC with Proxmox's default prefix `BC:24:11`.
pub fn random_mac() -> String {
    let b: [u8; 3] = rand::random();
    format!("BC:24:11:{:02X}:{:02X}:{:02X}", b[0], b[1], b[2])
}

/// The value as the config file stores it: property strings reprinted, lists normalised.
pub fn stored_value(key: &str, value: &str) -> String {
    if is_net(key) {
        let props = net_props();
        if let Ok(mut net) = parse_property_string(&props, key, value) {
            net.entry("hwaddr".into()).or_insert_with(random_mac);
            net.insert("type".into(), "veth".into());
            return print_property_string(&props, &net, Some("name"));
        }
    }
    match key {
        "features" => parse_property_string(&features_props(), key, value)
            .map(|f| print_property_string(&features_props(), &f, None))
            .unwrap_or_else(|_| value.to_string()),
        "tags" => {
            let tags: BTreeSet<String> = value
                .split([';', ',', ' '])
                .filter(|t| !t.is_empty())
                .map(str::to_lowercase)
                .collect();
            tags.into_iter().collect::<Vec<_>>().join(";")
        }
        "nameserver" | "searchdomain" => value
            .split([' ', ',', ';'])
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        _ => value.to_string(),
    }
}

/// The `netN` MTU must not exceed the bridge's; an unknown bridge fails the same lookup.
pub fn check_bridges(c: &Call, node: &str, params: &Params) -> Result<(), ApiError> {
    for (k, v) in params.iter().filter(|(k, _)| is_net(k)) {
        let Ok(net) = parse_property_string(&net_props(), k, v) else {
            continue;
        };
        let (Some(bridge), Some(mtu)) = (net.get("bridge"), net.get("mtu")) else {
            continue;
        };
        let bridge_mtu = c.sim.read(|s| {
            s.node(node)
                .and_then(|n| n.bridges.iter().find(|b| &b.name == bridge))
                .map(|b| b.mtu)
        });
        match bridge_mtu {
            None => return Err(ApiError::fail(format!("bridge '{bridge}' does not exist"))),
            Some(bm) if mtu.parse::<u32>().unwrap_or(0) > bm => {
                return Err(ApiError::fail(format!(
                    "{k}: MTU size '{mtu}' is bigger than bridge MTU '{bm}'"
                )));
            }
            Some(_) => {}
        }
    }
    Ok(())
}
