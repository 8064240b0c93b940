//! Tasks: status, log pages, listing, and waiting for a task to finish.

use crate::client::PveClient;
use crate::endpoints as ep;
use crate::error::{Error, TaskFailure};
use crate::form::Params;
use crate::types::{TaskListItem, TaskListParams, TaskLog, TaskLogLine, TaskOutcome, TaskStatus};
use crate::upid::Upid;
use std::time::{Duration, Instant};

/// Lines of log kept in a [`TaskFailure`].
const LOG_TAIL: u64 = 20;
/// Lines fetched per page by [`PveClient::task_log_all`].
const LOG_PAGE: u64 = 500;

impl PveClient {
    /// `GET /nodes/{node}/tasks/{upid}/status`, asked of the node in the UPID.
    pub async fn task_status(&self, upid: &Upid) -> Result<TaskStatus, Error> {
        self.call(
            &ep::TASK_STATUS,
            &[upid.node(), upid.as_str()],
            Params::new(),
        )
        .await
    }

    /// `GET …/tasks/{upid}/log?start=&limit=`: `start` lines are skipped (the first returned
    /// has `n = start + 1`); `limit = 0` means all.
    pub async fn task_log(&self, upid: &Upid, start: u64, limit: u64) -> Result<TaskLog, Error> {
        let params = Params::new().num("start", start).num("limit", limit);
        let (lines, total): (Vec<TaskLogLine>, _) = self
            .call_with_total(&ep::TASK_LOG, &[upid.node(), upid.as_str()], params)
            .await?;
        let total = total.unwrap_or(lines.len() as u64);
        Ok(TaskLog { lines, total })
    }

    /// The whole log, fetched page by page.
    pub async fn task_log_all(&self, upid: &Upid) -> Result<Vec<TaskLogLine>, Error> {
        let mut all = Vec::new();
        loop {
            let page = self.task_log(upid, all.len() as u64, LOG_PAGE).await?;
            let got = page.lines.len() as u64;
            all.extend(page.lines);
            if got == 0 || got < LOG_PAGE || all.len() as u64 >= page.total {
                return Ok(all);
            }
        }
    }

    /// `GET /nodes/{node}/tasks` with filters; returns the page and the server's `total`.
    pub async fn tasks(
        &self,
        node: &str,
        filter: &TaskListParams,
    ) -> Result<(Vec<TaskListItem>, Option<u64>), Error> {
        let params = Params::new()
            .opt_num("start", filter.start)
            .opt_num("limit", filter.limit)
            .opt_str("userfilter", filter.userfilter.clone())
            .opt_str("typefilter", filter.typefilter.clone())
            .opt_num("vmid", filter.vmid)
            .opt_bool("errors", filter.errors)
            .opt_str("source", filter.source.clone())
            .opt_num("since", filter.since)
            .opt_num("until", filter.until)
            .opt_str("statusfilter", filter.statusfilter.clone());
        self.call_with_total(&ep::TASKS, &[node], params).await
    }

    /// Polls the task until it stops or `deadline` passes. Returns the final status when it
    /// ended `OK` or with warnings; [`Error::TaskFailed`] (exit status and the end of the
    /// log) when it failed; [`Error::TaskTimeout`] when it is still running.
    pub async fn wait_task(&self, upid: &Upid, deadline: Duration) -> Result<TaskStatus, Error> {
        let started = Instant::now();
        let interval = self.inner.task_poll_interval;
        loop {
            let status = self.task_status(upid).await?;
            match status.outcome() {
                TaskOutcome::Ok | TaskOutcome::Warnings(_) => return Ok(status),
                TaskOutcome::Failed(exitstatus) => {
                    return Err(Error::TaskFailed(Box::new(TaskFailure {
                        upid: upid.clone(),
                        exitstatus,
                        log_tail: self.task_log_tail(upid).await,
                    })));
                }
                TaskOutcome::Running => {}
            }
            let waited = started.elapsed();
            if waited >= deadline {
                return Err(Error::TaskTimeout {
                    upid: Box::new(upid.clone()),
                    waited,
                });
            }
            tokio::time::sleep(interval.min(deadline - waited)).await;
        }
    }

    /// The last lines of a task log; empty (with a warning) if the log cannot be read, since
    /// the failure itself is what the caller needs.
    async fn task_log_tail(&self, upid: &Upid) -> Vec<String> {
        let tail = async {
            let total = self.task_log(upid, 0, 1).await?.total;
            let start = total.saturating_sub(LOG_TAIL);
            self.task_log(upid, start, LOG_TAIL).await
        };
        match tail.await {
            Ok(log) => log.lines.into_iter().map(|l| l.t).collect(),
            Err(e) => {
                tracing::warn!(%upid, error = %e, "could not read the log of a failed task");
                Vec::new()
            }
        }
    }
}
