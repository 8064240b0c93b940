//! Fixed-window failure counters in Redis, shared by every throttle: one key per thing counted
//! (an account, an address), created by the first failure with the window as its expiry.

use fred::prelude::{Client, KeysInterface, Value};
use std::time::Duration;

/// One counter: its key, how many failures it allows, and how long its window lasts.
#[derive(Debug, Clone)]
pub(super) struct Counter {
    pub key: String,
    pub limit: u32,
    pub window: Duration,
}

/// The wait before the counters allow another attempt: `None` while every counter is below its
/// limit, otherwise the time left of the longest-running counter that is at or over it.
pub(super) async fn wait(
    client: &Client,
    counters: &[Counter],
) -> Result<Option<Duration>, fred::error::Error> {
    let pipeline = client.pipeline();
    for counter in counters {
        let _: () = pipeline.get(&counter.key).await?;
        let _: () = pipeline.pttl(&counter.key).await?;
    }
    let replies: Vec<Value> = pipeline.all().await?;
    let mut wait: Option<Duration> = None;
    for (counter, reply) in counters.iter().zip(replies.chunks(2)) {
        let count = reply.first().and_then(Value::as_i64).unwrap_or(0);
        if count >= i64::from(counter.limit) {
            let ttl = reply.get(1).and_then(Value::as_i64).unwrap_or(-1);
            // No TTL (-1) should not happen; fall back to the whole window.
            let left = u64::try_from(ttl)
                .map(Duration::from_millis)
                .unwrap_or(counter.window);
            wait = Some(wait.map_or(left, |w| w.max(left)));
        }
    }
    Ok(wait)
}

/// Counts one failure on every counter and returns the new counts, in the same order.
pub(super) async fn increment(
    client: &Client,
    counters: &[Counter],
) -> Result<Vec<i64>, fred::error::Error> {
    let pipeline = client.pipeline();
    for counter in counters {
        let _: () = pipeline.incr(&counter.key).await?;
        let _: () = pipeline.pttl(&counter.key).await?;
    }
    let replies: Vec<Value> = pipeline.all().await?;
    let mut counts = Vec::with_capacity(counters.len());
    // The first failure starts the window; later ones leave it alone (fixed window). Checking
    // for "no TTL" after each INCR also repairs a counter whose EXPIRE never arrived.
    for (counter, reply) in counters.iter().zip(replies.chunks(2)) {
        counts.push(reply.first().and_then(Value::as_i64).unwrap_or(0));
        if reply.get(1).and_then(Value::as_i64) == Some(-1) {
            let ms = i64::try_from(counter.window.as_millis())
                .unwrap_or(i64::MAX)
                .max(1);
            let _: i64 = client.pexpire(&counter.key, ms, None).await?;
        }
    }
    Ok(counts)
}
