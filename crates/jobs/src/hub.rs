//! One subscribed Redis connection per [`Events`](crate::Events), shared by all its
//! subscriptions. Every open browser follows a channel or two, so a connection per follower
//! would cost Redis a client and the server a connection's buffers for each browser; here a
//! thousand followers of the containers channel are one Redis subscription, fanned out in
//! process.

use crate::connection;
use crate::error::Result;
use crate::events::Message;
use fred::clients::SubscriberClient;
use fred::prelude::{Client, ClientLike, EventInterface, PubsubInterface};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use tokio::sync::broadcast::{self, error::RecvError};

/// Messages a follower may fall behind by before it is told of a gap.
const BACKLOG: usize = 1024;

pub(crate) struct Hub {
    client: SubscriberClient,
    /// Each subscribed channel, read by the dispatcher for every message.
    channels: Mutex<HashMap<String, Fanout>>,
    /// One SUBSCRIBE or UNSUBSCRIBE at a time, held until Redis has answered: a follower of a
    /// channel that is being subscribed returns only once the subscription is in place.
    changes: tokio::sync::Mutex<()>,
    /// Sent when the connection dropped (or the dispatcher fell behind): every follower may
    /// have missed messages.
    gaps: broadcast::Sender<()>,
}

struct Fanout {
    sender: broadcast::Sender<Arc<Message>>,
    followers: usize,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("channels", &lock(&self.channels).len())
            .finish_non_exhaustive()
    }
}

impl Hub {
    /// Connects (a connection of its own that always reconnects and then resubscribes) and
    /// starts the dispatcher.
    pub async fn start(client: &Client) -> Result<Arc<Self>> {
        let subscriber = connection::dedicated(client).build_subscriber_client()?;
        let messages = subscriber.message_rx();
        subscriber.init().await?;
        // Restores every channel after a reconnect; the task ends when the client quits.
        drop(subscriber.manage_subscriptions());
        // Taken after the first connection, which also counts as a reconnect.
        let reconnects = subscriber.reconnect_rx();
        let hub = Arc::new(Self {
            client: subscriber,
            channels: Mutex::new(HashMap::new()),
            changes: tokio::sync::Mutex::new(()),
            gaps: broadcast::channel(16).0,
        });
        tokio::spawn(dispatch(Arc::downgrade(&hub), messages, reconnects));
        Ok(hub)
    }

    /// A receiver of `channel`'s messages, subscribing in Redis for its first follower.
    pub async fn follow(&self, channel: &str) -> Result<broadcast::Receiver<Arc<Message>>> {
        let _change = self.changes.lock().await;
        let receiver = {
            let mut channels = lock(&self.channels);
            if let Some(fanout) = channels.get_mut(channel) {
                fanout.followers += 1;
                return Ok(fanout.sender.subscribe());
            }
            let (sender, receiver) = broadcast::channel(BACKLOG);
            let fanout = Fanout {
                sender,
                followers: 1,
            };
            channels.insert(channel.to_string(), fanout);
            receiver
        };
        if let Err(error) = self.client.subscribe(channel).await {
            lock(&self.channels).remove(channel);
            return Err(error.into());
        }
        Ok(receiver)
    }

    /// One follower of `channel` fewer; the last one unsubscribes in Redis.
    pub async fn unfollow(&self, channel: &str) {
        let _change = self.changes.lock().await;
        let last = {
            let mut channels = lock(&self.channels);
            match channels.get_mut(channel) {
                Some(fanout) if fanout.followers > 1 => {
                    fanout.followers -= 1;
                    false
                }
                Some(_) => channels.remove(channel).is_some(),
                None => false,
            }
        };
        if last && let Err(error) = self.client.unsubscribe(channel).await {
            // The connection is gone or going: a resubscription after a reconnect only
            // restores channels it still knows, and messages for unknown channels are dropped.
            tracing::debug!(%error, channel, "unsubscribing failed");
        }
    }

    pub fn gaps(&self) -> broadcast::Receiver<()> {
        self.gaps.subscribe()
    }

    fn deliver(&self, channel: String, payload: String) {
        let sender = lock(&self.channels)
            .get(&channel)
            .map(|fanout| fanout.sender.clone());
        if let Some(sender) = sender {
            // No receiver left means the last follower is unfollowing right now.
            let _ = sender.send(Arc::new(Message { channel, payload }));
        }
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let client = self.client.clone();
            runtime.spawn(async move { client.quit().await });
        }
    }
}

/// Hands each message to its channel's followers, and a gap to all of them after a reconnect.
/// Holds the hub weakly: it ends once the hub is dropped and its connection closes.
async fn dispatch(
    hub: Weak<Hub>,
    mut messages: broadcast::Receiver<fred::types::Message>,
    mut reconnects: broadcast::Receiver<fred::types::config::Server>,
) {
    loop {
        let gap = tokio::select! {
            reconnected = reconnects.recv() => match reconnected {
                Ok(_) | Err(RecvError::Lagged(_)) => true,
                Err(RecvError::Closed) => return,
            },
            message = messages.recv() => match message {
                Ok(message) => {
                    let Some(hub) = hub.upgrade() else { return };
                    let payload = message.value.as_string().unwrap_or_default();
                    hub.deliver(message.channel.to_string(), payload);
                    false
                }
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "pub/sub dispatcher fell behind; messages skipped");
                    true
                }
                Err(RecvError::Closed) => return,
            },
        };
        if gap {
            let Some(hub) = hub.upgrade() else { return };
            let _ = hub.gaps.send(());
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
