//! Worker tasks: UPIDs, their logs and their progress over (scaled) time (pve-common `UPID.pm`,
//! `RESTEnvironment.pm::fork_worker`).

use std::future::Future;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::sim::{Sim, now};
use crate::state::perms::AuthId;

/// The most tasks the state keeps (the real index is rotated too).
const KEEP_TASKS: usize = 2000;

/// One task, running or finished.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Task {
    pub upid: String,
    pub node: String,
    pub pid: u32,
    pub pstart: u64,
    pub starttime: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    /// The full auth id: `user@realm` or `user@realm!token`.
    pub user: String,
    pub running: bool,
    pub exitstatus: Option<String>,
    pub endtime: Option<i64>,
    pub log: Vec<String>,
}

/// `UPID:node:PID:PSTART:STARTTIME:type:id:user:` with upper-case hex and the trailing colon.
pub fn format_upid(
    node: &str,
    pid: u32,
    pstart: u64,
    start: i64,
    kind: &str,
    id: &str,
    user: &str,
) -> String {
    format!("UPID:{node}:{pid:08X}:{pstart:08X}:{start:08X}:{kind}:{id}:{user}:")
}

/// Splits a UPID into its fields; `None` when it is not one (`unable to parse worker upid`).
pub fn parse_upid(upid: &str) -> Option<Vec<&str>> {
    let inner = upid.strip_prefix("UPID:")?.strip_suffix(':')?;
    let fields: Vec<&str> = inner.split(':').collect();
    let hex = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
    };
    let ok = fields.len() == 7
        && crate::schema::Named::NodeName.check(fields[0]).is_ok()
        && hex(fields[1], 8, 8)
        && hex(fields[2], 8, 9)
        && hex(fields[3], 8, 8)
        && !fields[4].is_empty()
        && !fields[6].is_empty();
    ok.then_some(fields)
}

impl Task {
    /// `GET …/tasks/{upid}/status` and list items.
    pub fn status_json(&self) -> Value {
        let (user, tokenid) = match self.user.split_once('!') {
            Some((u, t)) => (u.to_string(), Some(t.to_string())),
            None => (self.user.clone(), None),
        };
        let mut v = json!({
            "upid": self.upid,
            "node": self.node,
            "pid": self.pid,
            "pstart": self.pstart,
            "starttime": self.starttime,
            "type": self.kind,
            "id": self.id,
            "user": user,
            "status": if self.running { "running" } else { "stopped" },
        });
        if let Some(obj) = v.as_object_mut() {
            if let Some(t) = tokenid {
                obj.insert("tokenid".into(), json!(t));
            }
            if let Some(e) = &self.exitstatus {
                obj.insert("exitstatus".into(), json!(e));
            }
        }
        v
    }
}

/// What a task body uses to log, wait and learn about injected failures.
#[derive(Debug, Clone)]
pub struct TaskCtx {
    pub sim: Arc<Sim>,
    pub upid: String,
    pub kind: String,
}

impl TaskCtx {
    pub fn log(&self, line: impl Into<String>) {
        let line = line.into();
        self.sim.write(|s| {
            if let Some(t) = s.tasks.iter_mut().find(|t| t.upid == self.upid) {
                t.log.push(line);
            }
        });
    }

    /// Waits a simulated duration.
    pub async fn sleep(&self, secs: f64) {
        self.sim.sleep(secs).await;
    }

    /// The text of an injected failure for this task type, if one is configured.
    pub fn injected_failure(&self) -> Option<String> {
        self.sim.faults().task_failure(&self.kind)
    }
}

/// Registers a task and runs `body` in the background; returns the UPID at once.
pub fn start<F, Fut>(
    sim: &Arc<Sim>,
    node: &str,
    kind: &str,
    id: &str,
    who: &AuthId,
    body: F,
) -> String
where
    F: FnOnce(TaskCtx) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let start = now();
    let user = who.full();
    let upid = sim.write(|s| {
        let pid = s.alloc_pid();
        let boot = s.node(node).map_or(start - 86_400, |n| n.boot_time);
        // pstart is the worker's start time in clock ticks since boot (USER_HZ = 100).
        let pstart = u64::try_from((start - boot).max(1)).unwrap_or(1) * 100 + u64::from(pid % 100);
        let upid = format_upid(node, pid, pstart, start, kind, id, &user);
        s.tasks.push(Task {
            upid: upid.clone(),
            node: node.to_string(),
            pid,
            pstart,
            starttime: start,
            kind: kind.to_string(),
            id: id.to_string(),
            user: user.clone(),
            running: true,
            exitstatus: None,
            endtime: None,
            log: Vec::new(),
        });
        if s.tasks.len() > KEEP_TASKS {
            let excess = s.tasks.len() - KEEP_TASKS;
            s.tasks.drain(..excess);
        }
        upid
    });
    let ctx = TaskCtx {
        sim: sim.clone(),
        upid: upid.clone(),
        kind: kind.to_string(),
    };
    let sim = sim.clone();
    let upid_done = upid.clone();
    tokio::spawn(async move {
        let result = body(ctx).await;
        finish(&sim, &upid_done, result);
    });
    upid
}

fn finish(sim: &Sim, upid: &str, result: Result<(), String>) {
    sim.write(|s| {
        if let Some(t) = s.tasks.iter_mut().find(|t| t.upid == upid) {
            match result {
                Ok(()) => {
                    t.log.push("TASK OK".into());
                    t.exitstatus = Some("OK".into());
                }
                Err(msg) => {
                    let text = msg.trim_end().lines().collect::<Vec<_>>().join(" ");
                    t.log.push(format!("TASK ERROR: {text}"));
                    t.exitstatus = Some(text);
                }
            }
            t.running = false;
            t.endtime = Some(now());
        }
    });
}

/// After a restart, tasks that were running have no worker any more.
pub fn abandon_running(tasks: &mut [Task]) {
    for t in tasks.iter_mut().filter(|t| t.running) {
        t.running = false;
        t.exitstatus = Some("unexpected status".into());
        t.endtime = Some(now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upid_round_trip() {
        let upid = format_upid(
            "pve1",
            0x1234,
            0xABCDEF,
            0x6543_2100,
            "vzcreate",
            "100",
            "berth@pve!prov",
        );
        assert_eq!(
            upid,
            "UPID:pve1:00001234:00ABCDEF:65432100:vzcreate:100:berth@pve!prov:"
        );
        assert!(parse_upid(&upid).is_some());
        assert!(parse_upid("UPID:pve1:x").is_none());
    }
}
