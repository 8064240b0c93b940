//! Reading containers: list, `status/current`, `interfaces`, `rrddata`; and the lookup every
//! LXC handler starts with (pve-container `API2/LXC.pm`, `LXC.pm::vmstatus`, `get_interfaces`).

use serde_json::{Value, json};

use super::{ApiError, Call, Reply};
use crate::addresses::reported_ipv4;
use crate::schema::Prop;
use crate::sim::now;
use crate::state::Container;

/// The container of `{node}/{vmid}`; a CT on another node is as missing as no CT at all.
pub fn load_ct(c: &Call) -> Result<Container, ApiError> {
    let (node, vmid) = (c.node(), c.vmid());
    c.sim
        .read(|s| {
            s.containers
                .get(&vmid)
                .filter(|ct| ct.node == node)
                .cloned()
        })
        .ok_or_else(|| config_missing(&node, vmid))
}

pub fn config_missing(node: &str, vmid: u32) -> ApiError {
    ApiError::fail(format!(
        "Configuration file 'nodes/{node}/lxc/{vmid}.conf' does not exist"
    ))
}

fn host_cpus(c: &Call, node: &str) -> u32 {
    c.sim.read(|s| s.node(node).map_or(1, |n| n.cpus))
}

pub async fn list(c: Call) -> Result<Reply, ApiError> {
    let node = c.node();
    let cts: Vec<Container> = c.sim.read(|s| {
        s.containers
            .values()
            .filter(|ct| ct.node == node)
            .cloned()
            .collect()
    });
    let cpus = host_cpus(&c, &node);
    let t = now();
    let data: Vec<Value> = cts
        .iter()
        .filter(|ct| c.can(&format!("/vms/{}", ct.vmid), "VM.Audit"))
        .map(|ct| ct.status_json(t, cpus))
        .collect();
    Ok(Reply::data(json!(data)))
}

pub async fn current(c: Call) -> Result<Reply, ApiError> {
    c.check(&format!("/vms/{}", c.vmid()), &["VM.Audit"])?;
    let ct = load_ct(&c)?;
    let mut v = ct.status_json(now(), host_cpus(&c, &ct.node));
    if let Some(obj) = v.as_object_mut() {
        obj.insert("ha".into(), json!({ "managed": 0 }));
    }
    Ok(Reply::data(v))
}

/// An EUI-64 link-local address from a MAC.
fn link_local(mac: &str) -> String {
    let b: Vec<u16> = mac
        .split(':')
        .filter_map(|x| u16::from_str_radix(x, 16).ok())
        .collect();
    if b.len() != 6 {
        return "fe80::1/64".into();
    }
    format!(
        "fe80::{:x}:{:x}:{:x}:{:x}/64",
        ((b[0] ^ 2) << 8) | b[1],
        (b[2] << 8) | 0xff,
        0xfe00 | b[3],
        (b[4] << 8) | b[5]
    )
}

fn iface(name: &str, mac: &str, v4: Option<String>, v6: Vec<String>) -> Value {
    let mut addrs = Vec::new();
    for (kind, a) in v4
        .iter()
        .map(|a| ("inet", a))
        .chain(v6.iter().map(|a| ("inet6", a)))
    {
        let (ip, prefix) = a.split_once('/').unwrap_or((a, "0"));
        addrs.push(json!({ "ip-address-type": kind, "ip-address": ip, "prefix": prefix.parse::<u32>().unwrap_or(0) }));
    }
    let mut v =
        json!({ "name": name, "hwaddr": mac, "hardware-address": mac, "ip-addresses": addrs });
    if let Some(obj) = v.as_object_mut() {
        if let Some(a) = v4 {
            obj.insert("inet".into(), json!(a));
        }
        if let Some(a) = v6.last() {
            obj.insert("inet6".into(), json!(a));
        }
    }
    v
}

/// `ip --json a` inside the CT: `lo` plus every `netN`; `null` while the CT is stopped.
pub async fn interfaces(c: Call) -> Result<Reply, ApiError> {
    c.check(&format!("/vms/{}", c.vmid()), &["VM.Audit"])?;
    let ct = load_ct(&c)?;
    if !ct.running {
        return Ok(Reply::null());
    }
    let mut out = vec![iface(
        "lo",
        "00:00:00:00:00:00",
        Some("127.0.0.1/8".into()),
        vec!["::1/128".into()],
    )];
    for (key, net) in ct.nets() {
        let idx: u32 = key[3..].parse().unwrap_or(0);
        let name = net
            .get("name")
            .cloned()
            .unwrap_or_else(|| format!("eth{idx}"));
        let mac = net
            .get("hwaddr")
            .map(|m| m.to_lowercase())
            .unwrap_or_default();
        let v4 = reported_ipv4(
            net.get("ip").map(String::as_str),
            ct.vmid,
            idx,
            c.sim.sandbox.is_some(),
        );
        let mut v6 = vec![link_local(&mac)];
        match net.get("ip6").map(String::as_str) {
            Some("auto" | "dhcp") => v6.insert(0, format!("fd00:{idx}::{:x}/64", ct.vmid)),
            Some("manual") | None => {}
            Some(cidr) => v6.insert(0, cidr.to_string()),
        }
        out.push(iface(&name, &mac, v4, v6));
    }
    Ok(Reply::data(json!(out)))
}

pub fn rrd_params() -> Vec<Prop> {
    vec![
        Prop::str("timeframe")
            .required()
            .one_of(&["hour", "day", "week", "month", "year"]),
        Prop::str("cf").one_of(&["AVERAGE", "MAX"]),
    ]
}

/// 70 points of plausible history ending now (the real RRD keeps 70 rows per timeframe).
pub async fn rrddata(c: Call) -> Result<Reply, ApiError> {
    c.check(&format!("/vms/{}", c.vmid()), &["VM.Audit"])?;
    let ct = load_ct(&c)?;
    let step: i64 = match c.p("timeframe").unwrap_or("hour") {
        "hour" => 60,
        "day" => 1440,
        "week" => 10_080,
        "month" => 43_200,
        _ => 525_600,
    };
    let end = now() / step * step;
    let cpus = host_cpus(&c, &ct.node);
    let points: Vec<Value> = (0..70)
        .map(|i| {
            let t = end - (69 - i) * step;
            let alive = ct.running && ct.started_at.is_some_and(|s| s <= t);
            if !alive {
                return json!({ "time": t, "maxcpu": cpus, "maxmem": ct.maxmem(), "maxdisk": ct.maxdisk() });
            }
            let wobble = ((t / step) % 7) as f64 / 100.0;
            json!({
                "time": t, "cpu": ct.stats.cpu + wobble / 4.0, "maxcpu": cpus,
                "mem": ct.stats.mem as f64 * (0.95 + wobble), "maxmem": ct.maxmem(),
                "disk": ct.stats.disk, "maxdisk": ct.maxdisk(),
                "netin": 1200.0 + wobble * 10_000.0, "netout": 800.0 + wobble * 5_000.0,
                "diskread": wobble * 40_000.0, "diskwrite": wobble * 90_000.0,
            })
        })
        .collect();
    Ok(Reply::data(json!(points)))
}
