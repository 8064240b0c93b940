//! Task status, log and list responses (PVE-API.md §4.15).

use crate::perl;
use crate::upid::Upid;
use serde::Deserialize;

/// `GET /nodes/{node}/tasks/{upid}/status`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TaskStatus {
    pub upid: Upid,
    pub node: String,
    /// `running` or `stopped`.
    pub status: String,
    /// Present once stopped: `OK`, `WARNINGS: n`, or the error text.
    #[serde(default)]
    pub exitstatus: Option<String>,
    #[serde(rename = "type")]
    pub worker_type: String,
    #[serde(default, deserialize_with = "perl::string")]
    pub id: String,
    pub user: String,
    /// When a token started it: the token name.
    #[serde(default)]
    pub tokenid: Option<String>,
    #[serde(deserialize_with = "perl::int")]
    pub pid: u32,
    #[serde(deserialize_with = "perl::int")]
    pub starttime: i64,
}

/// Where a task stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskOutcome {
    Running,
    Ok,
    /// Succeeded but printed this many warnings.
    Warnings(u32),
    /// Failed with this exit status (the text after `TASK ERROR: `).
    Failed(String),
}

impl TaskStatus {
    pub fn is_running(&self) -> bool {
        self.status == "running"
    }

    /// The outcome as pve-common `UPID.pm::status_is_error` judges it.
    pub fn outcome(&self) -> TaskOutcome {
        if self.is_running() {
            return TaskOutcome::Running;
        }
        match self.exitstatus.as_deref() {
            Some("OK") => TaskOutcome::Ok,
            Some(s) => match s.strip_prefix("WARNINGS: ").map(str::parse::<u32>) {
                Some(Ok(n)) => TaskOutcome::Warnings(n),
                _ => TaskOutcome::Failed(s.to_owned()),
            },
            None => TaskOutcome::Failed("stopped without an exit status".into()),
        }
    }
}

/// One line of a task log; `n` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TaskLogLine {
    #[serde(deserialize_with = "perl::int")]
    pub n: u64,
    pub t: String,
}

/// A page of a task log and the log's total line count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskLog {
    pub lines: Vec<TaskLogLine>,
    pub total: u64,
}

/// One entry of `GET /nodes/{node}/tasks`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TaskListItem {
    pub upid: Upid,
    pub node: String,
    #[serde(rename = "type")]
    pub worker_type: String,
    #[serde(default, deserialize_with = "perl::string")]
    pub id: String,
    pub user: String,
    #[serde(default)]
    pub tokenid: Option<String>,
    #[serde(deserialize_with = "perl::int")]
    pub starttime: i64,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub endtime: Option<i64>,
    /// The exit status once finished (`OK`, error text…); absent while running.
    #[serde(default)]
    pub status: Option<String>,
}

/// Filters of `GET /nodes/{node}/tasks`; all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskListParams {
    pub start: Option<u64>,
    pub limit: Option<u64>,
    pub userfilter: Option<String>,
    pub typefilter: Option<String>,
    pub vmid: Option<u32>,
    /// Only failed tasks.
    pub errors: Option<bool>,
    /// `archive`, `active` or `all`.
    pub source: Option<String>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub statusfilter: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(json: &str) -> TaskStatus {
        serde_json::from_str(json).unwrap()
    }

    const BASE: &str = r#""upid":"UPID:pve:000F3A2C:0052C1B4:66A1F0C3:vzcreate:100:dash@pve!prov:",
        "node":"pve","pid":998956,"pstart":5423540,"starttime":1721888963,"type":"vzcreate",
        "id":"100","user":"dash@pve","tokenid":"prov""#;

    #[test]
    fn outcomes() {
        let running = status(&format!(r#"{{{BASE},"status":"running"}}"#));
        assert_eq!(running.outcome(), TaskOutcome::Running);
        assert_eq!(running.tokenid.as_deref(), Some("prov"));
        let ok = status(&format!(
            r#"{{{BASE},"status":"stopped","exitstatus":"OK"}}"#
        ));
        assert_eq!(ok.outcome(), TaskOutcome::Ok);
        let warn = status(&format!(
            r#"{{{BASE},"status":"stopped","exitstatus":"WARNINGS: 2"}}"#
        ));
        assert_eq!(warn.outcome(), TaskOutcome::Warnings(2));
        let err = status(&format!(
            r#"{{{BASE},"status":"stopped","exitstatus":"unable to create CT 100 - can't find file 'local:vztmpl/x.tar.zst'"}}"#
        ));
        assert_eq!(
            err.outcome(),
            TaskOutcome::Failed(
                "unable to create CT 100 - can't find file 'local:vztmpl/x.tar.zst'".into()
            )
        );
    }

    #[test]
    fn numeric_id_is_kept_as_text() {
        let s = status(
            &format!(r#"{{{BASE},"status":"running"}}"#).replace(r#""id":"100""#, r#""id":100"#),
        );
        assert_eq!(s.id, "100");
    }
}
