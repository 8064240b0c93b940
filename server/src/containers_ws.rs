//! `/ws?containers=main`: what the containers page follows. The socket sends the poller's
//! snapshot with the current actions, then forwards what the cluster's channel carries (row
//! deltas from the poller, action states from the workers). After a gap in the subscription it
//! sends the whole snapshot again, which replaces what the browser had: nothing stays stale.

use crate::ws::{PING_EVERY, send};
use app::containers::api_ssr::{CLUSTER, current_actions, snapshot};
use app::state::AppState;
use axum::extract::ws::{Message, WebSocket};
use berth_domain::container::{ContainersPush, ContainersSnapshot};
use berth_jobs::Received;

pub async fn stream(state: AppState, mut socket: WebSocket) -> anyhow::Result<()> {
    let events = state.queue.events();
    // Subscribed before the snapshot is read, so no change falls between the two.
    let mut subscription = events
        .subscribe(&[events.containers_channel(CLUSTER)])
        .await?;
    send_snapshot(&state, &mut socket).await?;
    let mut ping = tokio::time::interval(PING_EVERY);
    loop {
        tokio::select! {
            received = subscription.recv() => match received {
                Some(Received::Message(message)) => send(&mut socket, &message.payload).await?,
                Some(Received::Gap) => send_snapshot(&state, &mut socket).await?,
                None => return Ok(()),
            },
            incoming = socket.recv() => match incoming {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return Ok(()),
                Some(Ok(_)) => {}
            },
            _ = ping.tick() => socket.send(Message::Ping(Vec::new().into())).await?,
        }
    }
}

async fn send_snapshot(state: &AppState, socket: &mut WebSocket) -> anyhow::Result<()> {
    let snapshot = snapshot(state)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .unwrap_or_else(ContainersSnapshot::empty);
    let actions = current_actions(state)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let push = ContainersPush::Snapshot { snapshot, actions };
    send(socket, &serde_json::to_string(&push)?).await
}
