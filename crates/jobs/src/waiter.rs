//! Blocking until work may be there, on a connection of its own.
//!
//! Blocking commands hold their connection, so they must not share the queue's multiplexed
//! client. Every transition that makes a job ready pushes a token on the wake list (bounded);
//! an idle waiter blocks on it with `BLPOP`, and a token pushed between a failed lease and the
//! `BLPOP` is still there, so no wake-up is lost. Spurious wake-ups just cost one lease attempt.

use crate::connection;
use crate::error::Result;
use crate::lease::Lease;
use crate::queue::{Poll, Queue};
use fred::error::ErrorKind;
use fred::prelude::{Client, ClientLike, ListInterface};
use fred::types::Value;
use std::time::Duration;
use tokio::time::Instant;

/// The longest single block: keeps an idle waiter looking even if a wake-up got lost (e.g. a
/// Redis restart emptied the list).
const MAX_BLOCK: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub struct Waiter {
    queue: Queue,
    client: Client,
}

impl Waiter {
    pub(crate) fn new(queue: Queue) -> Result<Self> {
        let client = connection::dedicated(queue.client()).build()?;
        // Commands wait for the connection; the handle ends only on quit.
        drop(client.connect());
        Ok(Self { queue, client })
    }

    /// Blocks until a wake-up arrives or `timeout` passes (at most a second). Returns whether it
    /// was woken.
    pub async fn wait(&self, timeout: Duration) -> Result<bool> {
        let seconds = timeout
            .clamp(Duration::from_millis(1), MAX_BLOCK)
            .as_secs_f64();
        match self
            .client
            .blpop::<Value, _>(&self.queue.keys().wake, seconds)
            .await
        {
            Ok(popped) => Ok(!popped.is_null()),
            // fred reports a BLPOP that ran out of time as a timeout error.
            Err(error) if *error.kind() == ErrorKind::Timeout => Ok(false),
            Err(error) => Err(error.into()),
        }
    }

    /// Leases a job, waiting up to `timeout` for one to become ready.
    pub async fn lease(
        &self,
        worker: &str,
        ttl: Duration,
        timeout: Duration,
    ) -> Result<Option<Lease>> {
        let deadline = Instant::now() + timeout;
        loop {
            let next_due = match self.queue.poll(worker, ttl).await? {
                Poll::Leased(lease) => return Ok(Some(lease)),
                Poll::Empty { next_due } => next_due,
            };
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            self.wait(next_due.map_or(left, |due| due.min(left)))
                .await?;
        }
    }
}

impl Drop for Waiter {
    fn drop(&mut self) {
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let client = self.client.clone();
            runtime.spawn(async move { client.quit().await });
        }
    }
}
