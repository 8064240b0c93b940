//! The queue protocol: enqueue, lease, heartbeat, settle, reap and cancel, each one atomic.

use crate::error::{QueueError, Result};
use crate::events::Events;
use crate::keys::{DEFAULT_PREFIX, Keys};
use crate::lease::{JobState, Lease, Renewal};
use crate::scripts::{self, CANCEL, ENQUEUE, LEASE, REAP, RENEW, SETTLE, millis};
use crate::slots::NodeSlots;
use crate::waiter::Waiter;
use fred::prelude::{Client, HashesInterface, SetsInterface};
use fred::types::Value;
use fred::types::scripts::Script;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// How many ids one script call handles: long scripts block Redis for everyone else.
const BATCH: usize = 500;

/// A handle on one job queue in Redis. Cheap to clone; clones share the client.
/// Redis carries only job ids: what a job is and how far it got lives in Postgres.
#[derive(Debug, Clone)]
pub struct Queue {
    client: Client,
    keys: Arc<Keys>,
}

/// The queue's jobs by where they are, for metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueDepth {
    pub ready: u64,
    pub delayed: u64,
    pub leased: u64,
}

/// The result of one leasing attempt.
#[derive(Debug)]
pub(crate) enum Poll {
    Leased(Lease),
    /// Nothing ready; `next_due` says when the earliest delayed job becomes ready, if any.
    Empty {
        next_due: Option<Duration>,
    },
}

/// How a lease ends (see `settle.lua`).
#[derive(Debug, Clone, Copy)]
enum Settle {
    Remove,
    Retry(Duration),
    Release,
}

impl Queue {
    /// A queue under the default prefix `berth:jobs:`.
    pub fn new(client: Client) -> Self {
        Self::with_prefix(client, DEFAULT_PREFIX)
    }

    /// A queue whose keys and channels all start with `prefix` (tests use one each).
    pub fn with_prefix(client: Client, prefix: &str) -> Self {
        Self {
            client,
            keys: Arc::new(Keys::new(prefix)),
        }
    }

    pub fn prefix(&self) -> &str {
        &self.keys.prefix
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub(crate) fn keys(&self) -> &Keys {
        &self.keys
    }

    /// Run events and container status over pub/sub, under this queue's prefix.
    pub fn events(&self) -> Events {
        Events::new(self.client.clone(), self.keys.clone())
    }

    /// The per-node creation slots, under this queue's prefix.
    pub fn node_slots(&self) -> NodeSlots {
        NodeSlots::new(self.client.clone(), self.keys.clone())
    }

    /// A dedicated connection for blocking until work arrives (see [`Waiter`]).
    pub fn waiter(&self) -> Result<Waiter> {
        Waiter::new(self.clone())
    }

    /// Adds the job unless it is already ready, delayed or leased. Returns whether it was added.
    pub async fn enqueue(&self, id: Uuid) -> Result<bool> {
        Ok(!self.ensure_enqueued(&[id]).await?.is_empty())
    }

    /// Adds those of `ids` that are not ready, delayed or leased, and returns them: the
    /// reconciler passes the runs Postgres has as queued, and logs the ones Redis had lost.
    pub async fn ensure_enqueued(&self, ids: &[Uuid]) -> Result<Vec<Uuid>> {
        let mut added = Vec::new();
        for batch in ids.chunks(BATCH) {
            let args = batch.iter().map(Uuid::to_string).collect();
            let reply = self.script(&ENQUEUE, args).await?;
            added.extend(scripts::ids(reply)?);
        }
        Ok(added)
    }

    /// Leases the oldest ready job for `ttl`, if there is one. Delayed jobs that are due become
    /// ready first, in the same atomic step.
    pub async fn lease(&self, worker: &str, ttl: Duration) -> Result<Option<Lease>> {
        Ok(match self.poll(worker, ttl).await? {
            Poll::Leased(lease) => Some(lease),
            Poll::Empty { .. } => None,
        })
    }

    pub(crate) async fn poll(&self, worker: &str, ttl: Duration) -> Result<Poll> {
        if ttl.is_zero() {
            return Err(QueueError::Invalid("a lease needs a ttl above zero"));
        }
        let token = Uuid::new_v4();
        let reply = self
            .script(
                &LEASE,
                vec![worker.to_owned(), millis(ttl), token.to_string()],
            )
            .await?
            .into_array();
        match reply.as_slice() {
            [leased, id, attempt, expires, cancel, lost] if scripts::int(leased)? == 1 => {
                Ok(Poll::Leased(Lease {
                    id: scripts::id(id)?,
                    token,
                    attempt: u32::try_from(scripts::int(attempt)?).unwrap_or(u32::MAX),
                    lost: u32::try_from(scripts::int(lost)?).unwrap_or(u32::MAX),
                    expires_at: scripts::instant(scripts::int(expires)?),
                    cancel_requested: scripts::int(cancel)? == 1,
                }))
            }
            [_, next_due] => {
                let next_due = u64::try_from(scripts::int(next_due)?)
                    .ok()
                    .map(Duration::from_millis);
                Ok(Poll::Empty { next_due })
            }
            other => Err(QueueError::Protocol(format!("lease replied {other:?}"))),
        }
    }

    /// Extends the lease to `ttl` from now (the heartbeat). Fails with
    /// [`QueueError::LeaseLost`] when the token no longer holds the job.
    pub async fn renew(&self, lease: &Lease, ttl: Duration) -> Result<Renewal> {
        if ttl.is_zero() {
            return Err(QueueError::Invalid("a lease needs a ttl above zero"));
        }
        let reply = self
            .script(
                &RENEW,
                vec![lease.id.to_string(), lease.token.to_string(), millis(ttl)],
            )
            .await?
            .into_array();
        match reply.as_slice() {
            [_, expires, cancel] => Ok(Renewal {
                expires_at: scripts::instant(scripts::int(expires)?),
                cancel_requested: scripts::int(cancel)? == 1,
            }),
            [_] => Err(QueueError::LeaseLost(lease.id)),
            other => Err(QueueError::Protocol(format!("renew replied {other:?}"))),
        }
    }

    /// The job is done: it leaves the queue.
    pub async fn ack(&self, lease: &Lease) -> Result<()> {
        self.settle(lease, Settle::Remove).await
    }

    /// The job failed for good: it leaves the queue (the caller records why in Postgres).
    pub async fn fail(&self, lease: &Lease) -> Result<()> {
        self.settle(lease, Settle::Remove).await
    }

    /// The attempt failed but the job may succeed later: it becomes ready again after `delay`.
    pub async fn retry(&self, lease: &Lease, delay: Duration) -> Result<()> {
        self.settle(lease, Settle::Retry(delay)).await
    }

    /// Gives the job back untouched (a worker shutting down): it goes to the front of the
    /// queue at once and this attempt is not counted.
    pub async fn release(&self, lease: &Lease) -> Result<()> {
        self.settle(lease, Settle::Release).await
    }

    async fn script(&self, script: &Script, args: Vec<String>) -> Result<Value> {
        scripts::run(&self.client, script, self.keys.queue.clone(), args).await
    }

    async fn settle(&self, lease: &Lease, how: Settle) -> Result<()> {
        let (action, delay) = match how {
            Settle::Remove => ("remove", Duration::ZERO),
            Settle::Retry(delay) => ("retry", delay),
            Settle::Release => ("release", Duration::ZERO),
        };
        let reply = self
            .script(
                &SETTLE,
                vec![
                    lease.id.to_string(),
                    lease.token.to_string(),
                    action.to_owned(),
                    millis(delay),
                ],
            )
            .await?;
        match scripts::int(&reply)? {
            1 => Ok(()),
            _ => Err(QueueError::LeaseLost(lease.id)),
        }
    }

    /// Returns jobs whose lease expired to the front of the queue and says which. Their next
    /// lease counts one more attempt. Every runner calls this periodically; it is idempotent.
    pub async fn reap_stalled(&self) -> Result<Vec<Uuid>> {
        let mut reaped = Vec::new();
        loop {
            let reply = self.script(&REAP, vec![BATCH.to_string()]).await?;
            let batch = scripts::ids(reply)?;
            let more = batch.len() == BATCH;
            reaped.extend(batch);
            if !more {
                return Ok(reaped);
            }
        }
    }

    /// Asks whoever works on the job to stop. Returns false when no such job is queued (it
    /// already finished, or was never enqueued). The flag goes when the job is acked or failed.
    pub async fn request_cancel(&self, id: Uuid) -> Result<bool> {
        let reply = self.script(&CANCEL, vec![id.to_string()]).await?;
        Ok(scripts::int(&reply)? == 1)
    }

    pub async fn cancel_requested(&self, id: Uuid) -> Result<bool> {
        Ok(self
            .client
            .sismember(&self.keys.cancel, id.to_string())
            .await?)
    }

    /// How many jobs are ready, delayed or leased (for metrics).
    pub async fn live_jobs(&self) -> Result<u64> {
        Ok(self.client.hlen(&self.keys.state).await?)
    }

    /// How many jobs wait (ready), wait for a retry (delayed) and are worked on (leased).
    pub async fn depth(&self) -> Result<QueueDepth> {
        // The state hash says where every live job is; it holds only live jobs, so it is small.
        let states: Vec<String> = self.client.hvals(&self.keys.state).await?;
        let mut depth = QueueDepth::default();
        for state in states.iter().filter_map(|s| JobState::parse(s)) {
            match state {
                JobState::Ready => depth.ready += 1,
                JobState::Delayed => depth.delayed += 1,
                JobState::Leased => depth.leased += 1,
            }
        }
        Ok(depth)
    }

    /// Where the job is, or `None` when it is not in the queue.
    pub async fn state(&self, id: Uuid) -> Result<Option<JobState>> {
        let state: Option<String> = self.client.hget(&self.keys.state, id.to_string()).await?;
        Ok(state.as_deref().and_then(JobState::parse))
    }
}
