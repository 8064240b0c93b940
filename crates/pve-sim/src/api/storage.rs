//! Storages, their content, and the appliance index with its download task (pve-storage
//! `API2/Storage/Status.pm`, `Content.pm`; pve-manager `API2/Nodes.pm` aplinfo).

use http::Method;
use serde_json::{Value, json};

use super::{ApiError, Call, Reply, Route, h, route};
use crate::schema::{Named, Prop};
use crate::sim::now;
use crate::state::TemplateFile;
use crate::tasks;

pub fn routes(node: Prop) -> Vec<Route> {
    let storage = || Prop::str("storage").required().fmt(Named::StorageId);
    vec![
        route(
            Method::GET,
            "/nodes/{node}/storage",
            vec![
                node.clone(),
                Prop::str("content").fmt(Named::Lenient),
                Prop::bool("enabled"),
                Prop::bool("format"),
                Prop::str("storage").fmt(Named::StorageId),
                Prop::str("target").fmt(Named::NodeName),
            ],
            h!(list),
        ),
        route(
            Method::GET,
            "/nodes/{node}/storage/{storage}/content",
            vec![
                node.clone(),
                storage(),
                Prop::str("content").fmt(Named::Lenient),
                Prop::int("vmid")
                    .fmt(Named::VmId)
                    .range(Some(100.0), Some(999_999_999.0)),
            ],
            h!(content),
        ),
        route(
            Method::GET,
            "/nodes/{node}/aplinfo",
            vec![node.clone()],
            h!(aplinfo),
        ),
        route(
            Method::POST,
            "/nodes/{node}/aplinfo",
            vec![
                node,
                storage(),
                Prop::str("template").required().max_len(255),
            ],
            h!(download),
        ),
    ]
}

async fn list(c: Call) -> Result<Reply, ApiError> {
    let node = c.node();
    let items: Vec<(String, Value)> = c.sim.read(|s| {
        s.node(&node)
            .map(|n| {
                n.storages
                    .iter()
                    .filter(|st| c.p("content").is_none_or(|ct| ct.split(',').all(|x| st.content.iter().any(|y| y == x))))
                    .filter(|st| c.p("storage").is_none_or(|id| id == st.id))
                    .filter(|st| !c.flag("enabled") || st.enabled)
                    .map(|st| {
                        let used = s.storage_used(&node, st);
                        let mut v = json!({
                            "storage": st.id, "type": st.kind, "content": st.content.join(","),
                            "shared": 0, "enabled": u8::from(st.enabled), "active": u8::from(st.enabled),
                        });
                        if let (Some(obj), true) = (v.as_object_mut(), st.enabled) {
                            obj.insert("total".into(), json!(st.total));
                            obj.insert("used".into(), json!(used));
                            obj.insert("avail".into(), json!(st.total.saturating_sub(used)));
                            obj.insert("used_fraction".into(), json!(used as f64 / st.total.max(1) as f64));
                        }
                        (st.id.clone(), v)
                    })
                    .collect()
            })
            .unwrap_or_default()
    });
    let visible: Vec<Value> = items
        .into_iter()
        .filter(|(id, _)| {
            let path = format!("/storage/{id}");
            c.can(&path, "Datastore.Audit") || c.can(&path, "Datastore.AllocateSpace")
        })
        .map(|(_, v)| v)
        .collect();
    Ok(Reply::data(json!(visible)))
}

/// `tzst` for `.tar.zst`, `txz`, `tgz`…, as pve-storage names template formats.
fn template_format(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("zst") => "tzst",
        Some("xz") => "txz",
        Some("gz") => "tgz",
        Some("bz2") => "tbz2",
        _ => "tar",
    }
}

async fn content(c: Call) -> Result<Reply, ApiError> {
    let node = c.node();
    let sid = c.p("storage").unwrap_or_default().to_string();
    c.check_any(
        &format!("/storage/{sid}"),
        &["Datastore.Audit", "Datastore.AllocateSpace"],
    )?;
    let filter = c.p("content").map(str::to_string);
    let want = |k: &str| {
        filter
            .as_deref()
            .is_none_or(|f| f.split(',').any(|x| x == k))
    };
    let vmid_filter: Option<u32> = c.p("vmid").and_then(|v| v.parse().ok());
    c.sim.read(|s| {
        let st = s
            .storage(&node, &sid)
            .ok_or_else(|| ApiError::fail(format!("storage '{sid}' does not exist")))?;
        let mut items = Vec::new();
        if want("vztmpl") && vmid_filter.is_none() {
            for t in &st.templates {
                items.push(json!({
                    "volid": format!("{sid}:vztmpl/{}", t.name), "content": "vztmpl",
                    "format": template_format(&t.name), "size": t.size, "ctime": t.ctime,
                }));
            }
        }
        for ct in s.containers.values().filter(|ct| ct.node == node) {
            if vmid_filter.is_some_and(|v| v != ct.vmid) || !(want("rootdir") || want("images")) {
                continue;
            }
            let Some(volid) = ct.config.get("rootfs").and_then(|r| r.split(',').next()) else {
                continue;
            };
            if volid.starts_with(&format!("{sid}:")) {
                items.push(json!({
                    "volid": volid, "content": "rootdir", "vmid": ct.vmid,
                    "format": "raw",
                    "size": ct.maxdisk(), "ctime": ct.started_at.unwrap_or(0),
                }));
            }
        }
        Ok(Reply::data(json!(items)))
    })
}

async fn aplinfo(c: Call) -> Result<Reply, ApiError> {
    let data = c.sim.read(|s| {
        s.appliances
            .iter()
            .map(|a| {
                json!({
                    "package": a.package, "version": a.version, "type": "lxc", "os": a.os,
                    "section": a.section, "maintainer": "Proxmox Support Team <support@proxmox.com>",
                    "architecture": "amd64",
                    "location": format!("system/{}", a.template),
                    "md5sum": format!("{:032x}", a.template.len() * 7919),
                    "sha512sum": format!("{:0128x}", a.template.len() * 104_729),
                    "infopage": "https://pve.proxmox.com/wiki/Linux_Container#pct_supported_distributions",
                    "headline": a.headline, "description": a.headline,
                    "source": "http://download.proxmox.com/images/system",
                    "template": a.template,
                })
            })
            .collect::<Vec<_>>()
    });
    Ok(Reply::data(json!(data)))
}

async fn download(c: Call) -> Result<Reply, ApiError> {
    let node = c.node();
    let sid = c.p("storage").unwrap_or_default().to_string();
    let template = c.p("template").unwrap_or_default().to_string();
    c.check(&format!("/storage/{sid}"), &["Datastore.AllocateTemplate"])?;
    c.sim.read(|s| {
        if !s.appliances.iter().any(|a| a.template == template) {
            return Err(ApiError::param("template", "no such template"));
        }
        let st = s
            .storage(&node, &sid)
            .ok_or_else(|| ApiError::fail(format!("storage '{sid}' does not exist")))?;
        if !st.content.iter().any(|x| x == "vztmpl") {
            return Err(ApiError::fail(format!(
                "storage '{sid}' does not support templates"
            )));
        }
        Ok(())
    })?;
    let who = c.who()?.clone();
    let (n, t) = (node.clone(), template.clone());
    let upid = tasks::start(
        &c.sim,
        &node,
        "download",
        &template,
        &who,
        move |ctx| async move {
            let dest = format!("/var/lib/vz/template/cache/{t}");
            ctx.log(format!(
                "downloading http://download.proxmox.com/images/system/{t} to {dest}"
            ));
            ctx.log(
                "--2025-11-25 12:00:00--  http://download.proxmox.com/images/system/".to_string()
                    + &t,
            );
            ctx.sleep(4.0).await;
            if let Some(msg) = ctx.injected_failure() {
                return Err(msg);
            }
            ctx.log(format!(
                "download of 'http://download.proxmox.com/images/system/{t}' to '{dest}' finished"
            ));
            ctx.sim.write(|s| {
                if let Some(st) = s.storage_mut(&n, &sid)
                    && !st.templates.iter().any(|x| x.name == t)
                {
                    st.templates.push(TemplateFile {
                        name: t.clone(),
                        size: 130 << 20,
                        ctime: now(),
                    });
                }
            });
            Ok(())
        },
    );
    Ok(Reply::data(json!(upid)))
}
