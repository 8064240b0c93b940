//! Connections of their own, for what cannot share the multiplexed client: blocking commands
//! and subscriptions.

use fred::prelude::{Builder, Client, ClientLike, ReconnectPolicy};

/// A builder for a connection configured like `client` that always reconnects, even if
/// `client` was built without a policy: a runner or a follower must outlive connection drops.
pub(crate) fn dedicated(client: &Client) -> Builder {
    let mut builder = Builder::from_config(client.client_config());
    let policy = client
        .client_reconnect_policy()
        .unwrap_or_else(|| ReconnectPolicy::new_exponential(0, 100, 5_000, 2));
    builder
        .set_performance_config(client.perf_config())
        .set_connection_config(client.connection_config().clone())
        .set_policy(policy);
    builder
}
