//! The [`Handler`] for the actions queue: claim, act, settle, publish.

use crate::perform::{self, Failure};
use berth_db::Pool;
use berth_db::actions::{self, ActionError, ActionRecord};
use berth_domain::container::ContainersPush;
use berth_jobs::{Events, Handler, JobContext, JobOutcome};
use berth_pve::PveClient;
use std::time::Duration;
use tracing::Instrument;

/// The actions queue lives beside the runs queue: `<prefix>actions:` (e.g. `berth:actions:`).
pub fn queue_prefix(key_prefix: &str) -> String {
    format!("{key_prefix}actions:")
}

#[derive(Clone)]
pub struct ActionRunner {
    pve: PveClient,
    pool: Pool,
    events: Events,
    cluster: String,
    /// The longest wait on one Proxmox task (a shutdown may take its full timeout).
    pub task_deadline: Duration,
}

impl std::fmt::Debug for ActionRunner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActionRunner")
            .field("cluster", &self.cluster)
            .field("task_deadline", &self.task_deadline)
            .finish_non_exhaustive()
    }
}

impl ActionRunner {
    /// `events` must be the runs queue's events: the containers channel is shared with the
    /// status poller, and browsers follow it.
    pub fn new(pve: PveClient, pool: Pool, events: Events, cluster: &str) -> Self {
        Self {
            pve,
            pool,
            events,
            cluster: cluster.into(),
            task_deadline: Duration::from_secs(180),
        }
    }

    async fn attempt(&self, job: &JobContext) -> Result<JobOutcome, ActionError> {
        let mut conn = self.pool.get().await.map_err(berth_db::DbError::from)?;
        let Some(record) = actions::claim(&mut conn, job.id, job.lease_token).await? else {
            return Ok(JobOutcome::Done);
        };
        drop(conn);
        tracing::info!(
            kind = record.view.kind.as_str(),
            vmid = record.view.vmid,
            node = %record.view.node,
            "carrying out a container action"
        );
        self.publish(&record).await;
        let token = job.lease_token;
        let saved = |upid: String| {
            let pool = self.pool.clone();
            async move {
                let mut conn = pool.get().await.map_err(berth_db::DbError::from)?;
                actions::save_upid(&mut conn, job.id, token, &upid).await
            }
        };
        let result = perform::perform(&self.pve, &record, self.task_deadline, saved).await;
        let error = match result {
            Ok(()) => None,
            Err(Failure::Retryable(reason)) if !job.is_last_attempt() => {
                tracing::info!(action = %job.id, %reason, "action will be tried again");
                return Ok(JobOutcome::RETRY);
            }
            Err(Failure::Retryable(reason) | Failure::Terminal(reason)) => Some(reason),
            Err(Failure::Claim(error)) => return Err(error),
        };
        let mut conn = self.pool.get().await.map_err(berth_db::DbError::from)?;
        let settled = actions::finish(&mut conn, job.id, token, error.as_deref()).await?;
        tracing::info!(
            kind = settled.view.kind.as_str(),
            vmid = settled.view.vmid,
            upid = settled.view.upid.as_deref().unwrap_or("none needed"),
            error = error.as_deref().unwrap_or(""),
            "container action settled"
        );
        self.publish(&settled).await;
        Ok(if error.is_some() {
            JobOutcome::Fail
        } else {
            JobOutcome::Done
        })
    }

    async fn publish(&self, record: &ActionRecord) {
        let push = ContainersPush::Action {
            action: record.view.clone(),
        };
        let payload = serde_json::to_string(&push).unwrap_or_default();
        let channel = self.events.containers_channel(&self.cluster);
        if let Err(error) = self.events.publish_to(&channel, &payload).await {
            // The page also reads actions from Postgres on (re)connect: nothing is lost.
            tracing::debug!(%error, "cannot publish an action's state");
        }
    }
}

impl Handler for ActionRunner {
    async fn handle(&self, job: JobContext) -> JobOutcome {
        let span = tracing::info_span!("action", action = %job.id, attempt = job.attempt);
        match self.attempt(&job).instrument(span).await {
            Ok(outcome) => outcome,
            // Another worker holds it now.
            Err(ActionError::ClaimLost) => JobOutcome::Done,
            Err(error) => {
                tracing::warn!(action = %job.id, %error, "action attempt failed; retrying");
                JobOutcome::RETRY
            }
        }
    }

    async fn exhausted(&self, job: JobContext) {
        let Ok(mut conn) = self.pool.get().await else {
            return;
        };
        if let Ok(Some(record)) = actions::give_up(
            &mut conn,
            job.id,
            "gave up after repeated failures (see the worker's log)",
        )
        .await
        {
            self.publish(&record).await;
        }
    }
}
