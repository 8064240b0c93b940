//! The poller: leader election through a one-holder Redis slot, a poll every `interval` (with
//! exponential back-off while Proxmox fails), the snapshot written and the delta published.

use crate::cache::{read_snapshot, write_snapshot};
use crate::rows::container_rows;
use berth_domain::container::{ContainersPush, ContainersSnapshot};
use berth_jobs::{CancellationToken, Events, NodeSlots, SlotGuard};
use berth_pve::PveClient;
use berth_pve::types::ResourceType;
use chrono::{SecondsFormat, Utc};
use fred::prelude::Client;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct PollerConfig {
    /// The cluster's name in keys and channels.
    pub cluster: String,
    /// Berth's Redis key prefix (`berth:`).
    pub prefix: String,
    /// This process, as the slot's holder.
    pub holder: String,
    pub interval: Duration,
    /// The longest wait between polls while Proxmox fails: also how long the list may stay
    /// stale once Proxmox is back, so it stays short (a failing poll costs Proxmox nothing).
    pub max_backoff: Duration,
}

impl PollerConfig {
    pub fn new(cluster: &str, prefix: &str, holder: &str) -> Self {
        Self {
            cluster: cluster.into(),
            prefix: prefix.into(),
            holder: holder.into(),
            interval: Duration::from_secs(3),
            max_backoff: Duration::from_secs(15),
        }
    }
}

/// What the poller did, for metrics and benchmarks.
#[derive(Debug, Default)]
pub struct PollerStats {
    pub polls: AtomicU64,
    pub failures: AtomicU64,
    pub deltas: AtomicU64,
}

#[derive(Debug)]
pub struct Poller {
    pve: PveClient,
    redis: Client,
    events: Events,
    slots: NodeSlots,
    config: PollerConfig,
    stats: Arc<PollerStats>,
}

impl Poller {
    /// `events` and `slots` come from the job queue (its channels and slots).
    pub fn new(
        pve: PveClient,
        redis: Client,
        events: Events,
        slots: NodeSlots,
        config: PollerConfig,
    ) -> Self {
        Self {
            pve,
            redis,
            events,
            slots,
            config,
            stats: Arc::default(),
        }
    }

    pub fn stats(&self) -> Arc<PollerStats> {
        self.stats.clone()
    }

    /// Polls while this process holds the cluster's poller slot, until `stop`.
    pub async fn run(self, stop: CancellationToken) {
        let slot = format!("status-poller:{}", self.config.cluster);
        // The slot outlives a few missed polls, not a dead process.
        let ttl = (self.config.interval * 3).max(Duration::from_secs(5));
        let mut lead: Option<SlotGuard> = None;
        let mut last: Option<ContainersSnapshot> = None;
        let mut failing = 0u32;
        loop {
            lead = match lead.take() {
                Some(mut guard) => guard.renew(ttl).await.ok().map(|()| guard),
                None => self
                    .slots
                    .acquire(&slot, &self.config.holder, 1, ttl)
                    .await
                    .unwrap_or_else(|error| {
                        tracing::debug!(%error, "the poller slot is out of reach");
                        None
                    }),
            };
            let mut wait = self.config.interval;
            if lead.is_some() {
                if last.is_none() {
                    last = read_snapshot(&self.redis, &self.config.prefix, &self.config.cluster)
                        .await
                        .ok()
                        .flatten();
                }
                let next = self.poll(last.as_ref(), &mut failing).await;
                self.publish(last.as_ref(), &next).await;
                last = Some(next);
                if failing > 0 {
                    wait = backoff(self.config.interval, self.config.max_backoff, failing);
                }
            } else {
                // Another process polls; forget ours so a takeover starts from its snapshot.
                last = None;
            }
            tokio::select! {
                () = stop.cancelled() => break,
                () = tokio::time::sleep(wait) => {}
            }
        }
        if let Some(guard) = lead {
            guard.release().await.ok();
        }
    }

    /// One read of the cluster: a fresh snapshot, or the last one marked as failing.
    async fn poll(
        &self,
        last: Option<&ContainersSnapshot>,
        failing: &mut u32,
    ) -> ContainersSnapshot {
        self.stats.polls.fetch_add(1, Ordering::Relaxed);
        let now = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
        match self.pve.cluster_resources(Some(ResourceType::Vm)).await {
            Ok(resources) => {
                if *failing > 0 {
                    tracing::info!(cluster = %self.config.cluster, "Proxmox answers again");
                }
                *failing = 0;
                ContainersSnapshot {
                    taken_at: now,
                    error: None,
                    failing_since: None,
                    containers: container_rows(&resources),
                }
            }
            Err(error) => {
                self.stats.failures.fetch_add(1, Ordering::Relaxed);
                if *failing == 0 {
                    tracing::warn!(cluster = %self.config.cluster, %error, "cannot read the cluster's containers; backing off");
                }
                *failing += 1;
                let mut kept = last.cloned().unwrap_or_else(ContainersSnapshot::empty);
                kept.error = Some(error.to_string());
                kept.failing_since.get_or_insert(now);
                kept
            }
        }
    }

    async fn publish(&self, last: Option<&ContainersSnapshot>, next: &ContainersSnapshot) {
        let cluster = &self.config.cluster;
        if let Err(error) = write_snapshot(&self.redis, &self.config.prefix, cluster, next).await {
            tracing::warn!(%error, "cannot write the containers snapshot");
            return;
        }
        // Published even when only the time moved: the pages say when Proxmox was last read.
        let delta = last
            .cloned()
            .unwrap_or_else(ContainersSnapshot::empty)
            .delta_to(next);
        let payload = serde_json::to_string(&ContainersPush::Delta { delta }).unwrap_or_default();
        let channel = self.events.containers_channel(cluster);
        match self.events.publish_to(&channel, &payload).await {
            Ok(_) => {
                self.stats.deltas.fetch_add(1, Ordering::Relaxed);
            }
            Err(error) => tracing::warn!(%error, "cannot publish a containers delta"),
        }
    }
}

/// `interval` doubled per failure, capped at `max`.
fn backoff(interval: Duration, max: Duration, failures: u32) -> Duration {
    interval
        .saturating_mul(1 << failures.min(16))
        .min(max)
        .max(interval)
}

#[cfg(test)]
mod tests {
    use super::backoff;
    use std::time::Duration;

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let s = Duration::from_secs;
        assert_eq!(backoff(s(3), s(60), 1), s(6));
        assert_eq!(backoff(s(3), s(60), 3), s(24));
        assert_eq!(backoff(s(3), s(60), 10), s(60));
    }
}
