//! The berth-jobs queue the server enqueues runs on and follows their events through.

use berth_jobs::Queue;

/// The queue under the prefix the worker leases from (`berth:jobs:` by default).
pub fn queue(redis: fred::prelude::Client, config: &berth_runtime::config::RedisConfig) -> Queue {
    Queue::with_prefix(redis, &berth_runtime::redis::queue_prefix(config))
}

/// The container actions queue (`berth:actions:` by default), leased by the worker's actions runner.
pub fn actions(redis: fred::prelude::Client, config: &berth_runtime::config::RedisConfig) -> Queue {
    Queue::with_prefix(redis, &berth_actions::queue_prefix(&config.key_prefix))
}
