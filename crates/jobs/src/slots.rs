//! A semaphore shared by every worker process: at most `limit` holders per Proxmox node at a
//! time, so concurrent container creations do not run into the node's lock timeouts.
//!
//! Each node is a ZSET of holders scored by expiry (Redis' clock). Expired holders do not count,
//! so the slot of a worker that crashed comes free after its ttl; live holders renew.

use crate::error::{QueueError, Result};
use crate::keys::Keys;
use crate::scripts::{self, SLOT_ACQUIRE, SLOT_RENEW, millis};
use fred::prelude::{Client, SortedSetsInterface};
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::time::Instant;

/// How often a waiting acquirer looks again at most: releases are not signalled, and a
/// creation takes seconds, so polling a small ZSET this often is cheap and fast enough.
const POLL: Duration = Duration::from_millis(50);

#[derive(Debug, Clone)]
pub struct NodeSlots {
    client: Client,
    keys: Arc<Keys>,
}

/// One slot on one node. Dropping the guard releases the slot in the background; call
/// [`SlotGuard::release`] to know it happened.
#[derive(Debug)]
pub struct SlotGuard {
    slots: NodeSlots,
    node: String,
    holder: String,
    expires_at: SystemTime,
    released: bool,
}

impl NodeSlots {
    pub(crate) fn new(client: Client, keys: Arc<Keys>) -> Self {
        Self { client, keys }
    }

    /// Takes one of `limit` slots on `node` for `ttl`, or returns `None` when all are held.
    /// A holder that already has a slot keeps it (and its expiry is extended).
    pub async fn acquire(
        &self,
        node: &str,
        holder: &str,
        limit: u32,
        ttl: Duration,
    ) -> Result<Option<SlotGuard>> {
        Ok(self.try_acquire(node, holder, limit, ttl).await?.ok())
    }

    /// Like [`acquire`](Self::acquire), waiting up to `timeout` for a slot to come free.
    pub async fn acquire_wait(
        &self,
        node: &str,
        holder: &str,
        limit: u32,
        ttl: Duration,
        timeout: Duration,
    ) -> Result<Option<SlotGuard>> {
        let deadline = Instant::now() + timeout;
        loop {
            let wait = match self.try_acquire(node, holder, limit, ttl).await? {
                Ok(guard) => return Ok(Some(guard)),
                Err(until_expiry) => until_expiry.min(POLL),
            };
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            tokio::time::sleep(wait.min(left)).await;
        }
    }

    /// A guard, or how long until the earliest holder expires.
    async fn try_acquire(
        &self,
        node: &str,
        holder: &str,
        limit: u32,
        ttl: Duration,
    ) -> Result<Result<SlotGuard, Duration>> {
        if limit == 0 || ttl.is_zero() {
            return Err(QueueError::Invalid(
                "a slot needs a limit and a ttl above zero",
            ));
        }
        let reply = scripts::run(
            &self.client,
            &SLOT_ACQUIRE,
            vec![self.keys.slots(node)],
            vec![holder.to_owned(), limit.to_string(), millis(ttl)],
        )
        .await?
        .into_array();
        match reply.as_slice() {
            [taken, expires] if scripts::int(taken)? == 1 => Ok(Ok(SlotGuard {
                slots: self.clone(),
                node: node.to_owned(),
                holder: holder.to_owned(),
                expires_at: scripts::instant(scripts::int(expires)?),
                released: false,
            })),
            [_, wait] => {
                let millis = u64::try_from(scripts::int(wait)?).unwrap_or(1);
                Ok(Err(Duration::from_millis(millis)))
            }
            other => Err(QueueError::Protocol(format!(
                "slot acquire replied {other:?}"
            ))),
        }
    }

    /// How many holders on `node` have not expired, by this host's clock (for monitoring).
    pub async fn holders(&self, node: &str) -> Result<u64> {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis();
        // Scores are whole milliseconds, far below where f64 loses precision.
        let live_from = (now + 1) as f64;
        Ok(self
            .client
            .zcount(self.keys.slots(node), live_from, f64::INFINITY)
            .await?)
    }

    async fn remove(&self, node: &str, holder: &str) -> Result<()> {
        let _: i64 = self.client.zrem(self.keys.slots(node), holder).await?;
        Ok(())
    }
}

impl SlotGuard {
    pub fn node(&self) -> &str {
        &self.node
    }

    pub fn holder(&self) -> &str {
        &self.holder
    }

    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }

    /// Extends the slot to `ttl` from now; [`QueueError::SlotLost`] if it already expired (the
    /// caller then no longer counts against the limit and should acquire again).
    pub async fn renew(&mut self, ttl: Duration) -> Result<()> {
        let reply = scripts::run(
            &self.slots.client,
            &SLOT_RENEW,
            vec![self.slots.keys.slots(&self.node)],
            vec![self.holder.clone(), millis(ttl)],
        )
        .await?;
        match scripts::int(&reply)? {
            0 => Err(QueueError::SlotLost {
                node: self.node.clone(),
                holder: self.holder.clone(),
            }),
            expires => {
                self.expires_at = scripts::instant(expires);
                Ok(())
            }
        }
    }

    pub async fn release(mut self) -> Result<()> {
        self.released = true;
        self.slots.remove(&self.node, &self.holder).await
    }
}

impl Drop for SlotGuard {
    fn drop(&mut self) {
        if self.released {
            return;
        }
        // Best effort: if this fails the slot still frees itself when its ttl runs out.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let (slots, node, holder) =
                (self.slots.clone(), self.node.clone(), self.holder.clone());
            runtime.spawn(async move { slots.remove(&node, &holder).await });
        }
    }
}
