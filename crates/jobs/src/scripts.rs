//! The Lua scripts that make each queue transition atomic, and how to call them.
//! Every script reads Redis' own clock (`TIME`), so leases and delays do not depend on the
//! clocks of the worker hosts agreeing.

use crate::error::{QueueError, Result};
use fred::prelude::Client;
use fred::types::Value;
use fred::types::scripts::Script;
use std::sync::LazyLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use uuid::Uuid;

/// A script from `scripts/`, after the preludes it uses (`clock.lua` always).
macro_rules! script {
    ($name:ident, $($file:literal),+) => {
        pub(crate) static $name: LazyLock<Script> = LazyLock::new(|| {
            Script::from_lua(concat!(
                include_str!("scripts/clock.lua"),
                $(include_str!(concat!("scripts/", $file))),+
            ))
        });
    };
}

// Queue scripts get every queue key, in the order of `Keys::queue`.
script!(ENQUEUE, "queue_keys.lua", "enqueue.lua");
script!(LEASE, "queue_keys.lua", "lease.lua");
script!(RENEW, "queue_keys.lua", "renew.lua");
script!(SETTLE, "queue_keys.lua", "settle.lua");
script!(REAP, "queue_keys.lua", "reap.lua");
script!(CANCEL, "queue_keys.lua", "cancel.lua");
script!(SLOT_ACQUIRE, "slot_acquire.lua");
script!(SLOT_RENEW, "slot_renew.lua");

/// Runs a script by hash, loading it first if this Redis has not seen it (e.g. after a restart).
pub(crate) async fn run(
    client: &Client,
    script: &Script,
    keys: Vec<String>,
    args: Vec<String>,
) -> Result<Value> {
    Ok(script.evalsha_with_reload(client, keys, args).await?)
}

/// Milliseconds as a script argument; durations past what Lua numbers hold exactly are clamped.
pub(crate) fn millis(duration: Duration) -> String {
    const MAX: u128 = 1 << 50;
    duration.as_millis().min(MAX).to_string()
}

/// A point in time the scripts return as milliseconds since the epoch.
pub(crate) fn instant(millis: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(u64::try_from(millis).unwrap_or(0))
}

pub(crate) fn int(value: &Value) -> Result<i64> {
    value
        .as_i64()
        .ok_or_else(|| QueueError::Protocol(format!("expected an integer, got {value:?}")))
}

pub(crate) fn id(value: &Value) -> Result<Uuid> {
    value
        .as_str()
        .and_then(|text| Uuid::parse_str(&text).ok())
        .ok_or_else(|| QueueError::Protocol(format!("expected a job id, got {value:?}")))
}

pub(crate) fn ids(value: Value) -> Result<Vec<Uuid>> {
    value.into_array().iter().map(id).collect()
}
