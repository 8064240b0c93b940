//! Task list, status and log (pve-manager `API2/Tasks.pm`).

use http::Method;
use serde_json::{Value, json};

use super::{ApiError, Call, Reply, Route, h, route};
use crate::schema::{Named, Prop};
use crate::tasks::{Task, parse_upid};

pub fn routes(node: Prop) -> Vec<Route> {
    let upid = || Prop::str("upid").required();
    vec![
        route(
            Method::GET,
            "/nodes/{node}/tasks",
            vec![
                node.clone(),
                Prop::int("start").range(Some(0.0), None),
                Prop::int("limit").range(Some(0.0), None),
                Prop::str("userfilter"),
                Prop::str("typefilter"),
                Prop::int("vmid")
                    .fmt(Named::VmId)
                    .range(Some(100.0), Some(999_999_999.0)),
                Prop::bool("errors"),
                Prop::str("source").one_of(&["archive", "active", "all"]),
                Prop::int("since"),
                Prop::int("until"),
                Prop::str("statusfilter"),
            ],
            h!(list),
        ),
        route(
            Method::GET,
            "/nodes/{node}/tasks/{upid}/status",
            vec![node.clone(), upid()],
            h!(status),
        ),
        route(
            Method::GET,
            "/nodes/{node}/tasks/{upid}/log",
            vec![
                node,
                upid(),
                Prop::int("start").range(Some(0.0), None),
                Prop::int("limit").range(Some(0.0), None),
                Prop::bool("download"),
            ],
            h!(log),
        ),
    ]
}

/// The owner (or the user owning the token) may read a task; others need `Sys.Audit`.
fn may_read(c: &Call, task: &Task) -> bool {
    let Some(who) = c.who.as_ref() else {
        return false;
    };
    let owner = task.user == who.full()
        || (who.token.is_none() && task.user.starts_with(&format!("{}!", who.user)));
    owner || c.can(&format!("/nodes/{}", task.node), "Sys.Audit")
}

fn find_task(c: &Call) -> Result<Task, ApiError> {
    let upid = c.p("upid").unwrap_or_default();
    if parse_upid(upid).is_none() {
        return Err(ApiError::param("upid", "unable to parse worker upid"));
    }
    let task = c
        .sim
        .read(|s| s.tasks.iter().find(|t| t.upid == upid).cloned())
        .ok_or_else(|| ApiError::param("upid", "no such task"))?;
    if !may_read(c, &task) {
        return Err(ApiError::perm(format!("/nodes/{}, Sys.Audit", task.node)));
    }
    Ok(task)
}

async fn status(c: Call) -> Result<Reply, ApiError> {
    Ok(Reply::data(find_task(&c)?.status_json()))
}

async fn log(c: Call) -> Result<Reply, ApiError> {
    let task = find_task(&c)?;
    let start: usize = c.p("start").and_then(|v| v.parse().ok()).unwrap_or(0);
    let limit: usize = c.p("limit").and_then(|v| v.parse().ok()).unwrap_or(50);
    let total = task.log.len();
    if total == 0 {
        return Ok(Reply::paged(json!([{ "n": 1, "t": "no content" }]), 1));
    }
    let take = if limit == 0 { usize::MAX } else { limit };
    let lines: Vec<Value> = task
        .log
        .iter()
        .enumerate()
        .skip(start)
        .take(take)
        .map(|(i, t)| json!({ "n": i + 1, "t": t }))
        .collect();
    Ok(Reply::paged(json!(lines), total as u64))
}

fn list_item(t: &Task) -> Value {
    let mut v = t.status_json();
    if let Some(obj) = v.as_object_mut() {
        obj.remove("exitstatus");
        obj.remove("status");
        if !t.running {
            obj.insert(
                "status".into(),
                json!(t.exitstatus.clone().unwrap_or_default()),
            );
            obj.insert("endtime".into(), json!(t.endtime.unwrap_or(t.starttime)));
        }
    }
    v
}

async fn list(c: Call) -> Result<Reply, ApiError> {
    let node = c.node();
    let source = c.p("source").unwrap_or("archive");
    let start: usize = c.p("start").and_then(|v| v.parse().ok()).unwrap_or(0);
    let limit: usize = c.p("limit").and_then(|v| v.parse().ok()).unwrap_or(50);
    let tasks: Vec<Task> = c
        .sim
        .read(|s| s.tasks.iter().filter(|t| t.node == node).cloned().collect());
    let mut matching: Vec<&Task> = tasks
        .iter()
        .rev()
        .filter(|t| match source {
            "active" => t.running,
            "all" => true,
            _ => !t.running,
        })
        .filter(|t| may_read(&c, t))
        .filter(|t| c.p("userfilter").is_none_or(|u| t.user.contains(u)))
        .filter(|t| c.p("typefilter").is_none_or(|ty| t.kind == ty))
        .filter(|t| c.p("vmid").is_none_or(|v| t.id == v))
        .filter(|t| !c.flag("errors") || t.exitstatus.as_deref().is_some_and(|e| e != "OK"))
        .filter(|t| {
            c.p("since")
                .and_then(|v| v.parse::<i64>().ok())
                .is_none_or(|s| t.starttime >= s)
        })
        .filter(|t| {
            c.p("until")
                .and_then(|v| v.parse::<i64>().ok())
                .is_none_or(|u| t.starttime <= u)
        })
        .filter(|t| {
            c.p("statusfilter").is_none_or(|f| {
                let class = match t.exitstatus.as_deref() {
                    None => "unknown",
                    Some("OK") => "ok",
                    Some(e) if e.starts_with("WARNINGS") => "warning",
                    Some("unexpected status") => "unknown",
                    Some(_) => "error",
                };
                f.split(',').any(|x| x == class)
            })
        })
        .collect();
    let total = matching.len() as u64;
    let take = if limit == 0 { usize::MAX } else { limit };
    matching = matching.into_iter().skip(start).take(take).collect();
    let items: Vec<Value> = matching.into_iter().map(list_item).collect();
    Ok(Reply::paged(json!(items), total))
}
