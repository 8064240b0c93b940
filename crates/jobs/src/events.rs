//! Live signals over Redis pub/sub: a run's progress events and clusters' container status.
//!
//! Pub/sub is lossy (a subscriber that is away misses messages), so the durable copy of every
//! run event is in Postgres; a browser replays from there, then follows these channels.

use crate::connection;
use crate::error::Result;
use crate::keys::Keys;
use fred::clients::SubscriberClient;
use fred::prelude::{Client, ClientLike, EventInterface, PubsubInterface};
use std::sync::Arc;
use tokio::sync::broadcast::{self, error::RecvError};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Events {
    client: Client,
    keys: Arc<Keys>,
}

/// One message received on a subscribed channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub channel: String,
    pub payload: String,
}

/// What a subscription yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    Message(Message),
    /// Messages may be lost: the connection dropped (the subscriptions are being restored), or the
    /// reader fell behind. A follower replays from Postgres what it may have missed.
    Gap,
}

/// A connection subscribed to some channels. Subscriptions are restored after a reconnect.
/// Dropping it closes the connection.
#[derive(Debug)]
pub struct Subscription {
    client: SubscriberClient,
    messages: broadcast::Receiver<fred::types::Message>,
    reconnects: broadcast::Receiver<fred::types::config::Server>,
}

impl Events {
    pub(crate) fn new(client: Client, keys: Arc<Keys>) -> Self {
        Self { client, keys }
    }

    /// `<prefix>run:<id>`: the progress events of one run.
    pub fn run_channel(&self, run: Uuid) -> String {
        self.keys.run_channel(run)
    }

    /// `<prefix>containers:<cluster>`: the container status of one cluster, from its poller.
    pub fn containers_channel(&self, cluster: &str) -> String {
        self.keys.containers_channel(cluster)
    }

    /// Publishes one of the run's events; returns how many subscribers received it.
    pub async fn publish(&self, run: Uuid, payload: &str) -> Result<u64> {
        self.publish_to(&self.run_channel(run), payload).await
    }

    pub async fn publish_to(&self, channel: &str, payload: &str) -> Result<u64> {
        Ok(self.client.publish(channel, payload).await?)
    }

    /// Opens a connection of its own (a subscribed connection can do nothing else) and
    /// subscribes to `channels`; messages published after this returns are delivered.
    pub async fn subscribe(&self, channels: &[String]) -> Result<Subscription> {
        let client = connection::dedicated(&self.client).build_subscriber_client()?;
        let messages = client.message_rx();
        client.init().await?;
        // Resubscribes to every channel after a reconnect; the task ends when the client quits.
        drop(client.manage_subscriptions());
        // Taken after the first connection, which also counts as a reconnect.
        let reconnects = client.reconnect_rx();
        let subscription = Subscription {
            client,
            messages,
            reconnects,
        };
        subscription.subscribe(channels).await?;
        Ok(subscription)
    }
}

impl Subscription {
    pub async fn subscribe(&self, channels: &[String]) -> Result<()> {
        if !channels.is_empty() {
            self.client.subscribe(channels.to_vec()).await?;
        }
        Ok(())
    }

    pub async fn unsubscribe(&self, channels: &[String]) -> Result<()> {
        if !channels.is_empty() {
            self.client.unsubscribe(channels.to_vec()).await?;
        }
        Ok(())
    }

    /// The next message or gap, or `None` once the connection is gone for good.
    pub async fn recv(&mut self) -> Option<Received> {
        tokio::select! {
            biased;
            reconnected = self.reconnects.recv() => match reconnected {
                Ok(_) | Err(RecvError::Lagged(_)) => Some(Received::Gap),
                Err(RecvError::Closed) => None,
            },
            message = self.messages.recv() => match message {
                Ok(message) => Some(Received::Message(Message {
                    channel: message.channel.to_string(),
                    payload: message.value.as_string().unwrap_or_default(),
                })),
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "pub/sub subscriber fell behind; messages skipped");
                    Some(Received::Gap)
                }
                Err(RecvError::Closed) => None,
            },
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let client = self.client.clone();
            runtime.spawn(async move { client.quit().await });
        }
    }
}
