//! Live signals over Redis pub/sub: a run's progress events and clusters' container status.
//!
//! Pub/sub is lossy (a subscriber that is away misses messages), so the durable copy of every
//! run event is in Postgres; a browser replays from there, then follows these channels.

use crate::error::Result;
use crate::hub::Hub;
use crate::keys::Keys;
use fred::prelude::{Client, PubsubInterface};
use std::sync::Arc;
use tokio::sync::OnceCell;
use tokio::sync::broadcast::{self, error::RecvError};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Events {
    client: Client,
    keys: Arc<Keys>,
    /// The one subscribed connection of these events (and their clones), made at the first
    /// subscription.
    hub: Arc<OnceCell<Arc<Hub>>>,
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

/// A follower of some channels, over the connection its [`Events`] share: subscriptions are
/// restored after a reconnect (reported as a [`Received::Gap`]). Dropping it unfollows them.
#[derive(Debug)]
pub struct Subscription {
    hub: Arc<Hub>,
    followed: Vec<(String, broadcast::Receiver<Arc<Message>>)>,
    gaps: broadcast::Receiver<()>,
}

impl Events {
    pub(crate) fn new(client: Client, keys: Arc<Keys>) -> Self {
        Self {
            client,
            keys,
            hub: Arc::default(),
        }
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

    /// Follows `channels`; messages published after this returns are delivered. The first
    /// subscription opens the connection (a subscribed connection can do nothing else) that
    /// every later one shares.
    pub async fn subscribe(&self, channels: &[String]) -> Result<Subscription> {
        let hub = self
            .hub
            .get_or_try_init(|| Hub::start(&self.client))
            .await?
            .clone();
        let mut subscription = Subscription {
            gaps: hub.gaps(),
            hub,
            followed: Vec::new(),
        };
        subscription.subscribe(channels).await?;
        Ok(subscription)
    }
}

impl Subscription {
    pub async fn subscribe(&mut self, channels: &[String]) -> Result<()> {
        for channel in channels {
            if self.followed.iter().any(|(name, _)| name == channel) {
                continue;
            }
            let receiver = self.hub.follow(channel).await?;
            self.followed.push((channel.clone(), receiver));
        }
        Ok(())
    }

    pub async fn unsubscribe(&mut self, channels: &[String]) -> Result<()> {
        for channel in channels {
            if let Some(at) = self.followed.iter().position(|(name, _)| name == channel) {
                self.followed.remove(at);
                self.hub.unfollow(channel).await;
            }
        }
        Ok(())
    }

    /// The next message or gap, or `None` once the connection is gone for good.
    pub async fn recv(&mut self) -> Option<Received> {
        tokio::select! {
            biased;
            gap = self.gaps.recv() => match gap {
                Ok(()) | Err(RecvError::Lagged(_)) => Some(Received::Gap),
                Err(RecvError::Closed) => None,
            },
            received = next_message(&mut self.followed) => received,
        }
    }
}

/// The next message on any followed channel; never ready while none is followed.
async fn next_message(
    followed: &mut [(String, broadcast::Receiver<Arc<Message>>)],
) -> Option<Received> {
    if followed.is_empty() {
        return std::future::pending().await;
    }
    let receiving = followed
        .iter_mut()
        .map(|(_, receiver)| Box::pin(receiver.recv()));
    let (result, _, _) = futures::future::select_all(receiving).await;
    match result {
        Ok(message) => Some(Received::Message(Message::clone(&message))),
        Err(RecvError::Lagged(missed)) => {
            tracing::warn!(missed, "pub/sub follower fell behind; messages skipped");
            Some(Received::Gap)
        }
        Err(RecvError::Closed) => None,
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if self.followed.is_empty() {
            return;
        }
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let hub = self.hub.clone();
            let channels: Vec<String> = self.followed.drain(..).map(|(name, _)| name).collect();
            runtime.spawn(async move {
                for channel in channels {
                    hub.unfollow(&channel).await;
                }
            });
        }
    }
}
