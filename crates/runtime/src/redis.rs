//! The Redis client every process uses. Connecting never blocks start-up: fred keeps reconnecting
//! with back-off in the background, and readiness reports the connection state meanwhile.

use crate::Secret;
use fred::prelude::{Builder, Client, ClientLike, Config, EventInterface, ReconnectPolicy};
use std::time::Duration;

/// Builds a client and starts connecting in the background (retrying forever with back-off).
pub fn connect(url: &Secret<String>) -> Result<Client, fred::error::Error> {
    let mut config = Config::from_url(url.expose())?;
    // Retry the first connection like any later one instead of failing start-up.
    config.fail_fast = false;
    let client = Builder::from_config(config)
        .with_connection_config(|c| {
            c.connection_timeout = Duration::from_secs(3);
            c.internal_command_timeout = Duration::from_secs(3);
        })
        .with_performance_config(|p| {
            // A command issued while Redis is away fails after this long instead of hanging.
            p.default_command_timeout = Duration::from_secs(5);
        })
        // Unlimited attempts, 100 ms doubling up to 10 s.
        .set_policy(ReconnectPolicy::new_exponential(0, 100, 10_000, 2))
        .build()?;
    client.on_error(|(error, server)| async move {
        let server = server.map(|s| s.to_string()).unwrap_or_default();
        tracing::warn!(%error, %server, "redis connection error; reconnecting");
        Ok(())
    });
    client.on_reconnect(|server| async move {
        tracing::info!(%server, "redis connected");
        Ok(())
    });
    // The handle resolves only when the client is told to quit: nothing to join here.
    drop(client.connect());
    Ok(client)
}

/// The job queue's key prefix under Berth's own (`berth:` → `berth:jobs:`): the server, which
/// enqueues and follows runs, and the worker, which runs them, must agree on it.
pub fn queue_prefix(config: &crate::config::RedisConfig) -> String {
    format!("{}jobs:", config.key_prefix)
}
