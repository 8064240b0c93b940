//! Where a run's events go: numbered in Postgres (the durable copy a browser replays), then
//! published on Redis for those following live.

use crate::error::ProvisionError;
use berth_db::Pool;
use berth_db::runs;
use berth_domain::run::{RunEvent, SequencedEvent};
use berth_jobs::Events;
use std::future::Future;
use std::pin::Pin;
use uuid::Uuid;

pub type EmitFuture<'a> =
    Pin<Box<dyn Future<Output = Result<SequencedEvent, ProvisionError>> + Send + 'a>>;

/// Records one event of a run, fenced by the worker's claim `token`.
pub trait EventSink: Send + Sync {
    fn emit<'a>(&'a self, run: Uuid, token: Uuid, event: &'a RunEvent) -> EmitFuture<'a>;
}

/// The production sink: `run_events` in Postgres, then `run:<id>` on Redis.
#[derive(Clone)]
pub struct RunEvents {
    pool: Pool,
    events: Events,
}

impl std::fmt::Debug for RunEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunEvents")
            .field("events", &self.events)
            .finish_non_exhaustive()
    }
}

impl RunEvents {
    pub fn new(pool: Pool, events: Events) -> Self {
        Self { pool, events }
    }
}

impl EventSink for RunEvents {
    fn emit<'a>(&'a self, run: Uuid, token: Uuid, event: &'a RunEvent) -> EmitFuture<'a> {
        Box::pin(async move {
            let mut conn = self
                .pool
                .get()
                .await
                .map_err(|e| runs::RunError::Db(e.into()))?;
            let sequenced = runs::append_event(&mut conn, run, Some(token), event).await?;
            // Pub/sub is lossy anyway: a follower that misses this replays it from Postgres.
            match serde_json::to_string(&sequenced) {
                Ok(payload) => {
                    if let Err(error) = self.events.publish(run, &payload).await {
                        tracing::warn!(%run, %error, "could not publish a run event");
                    }
                }
                Err(error) => tracing::warn!(%run, %error, "could not encode a run event"),
            }
            Ok(sequenced)
        })
    }
}
