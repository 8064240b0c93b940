//! `GET /ws?run=<id>&after=<seq>`: a run's events, live, over a websocket. The session and the
//! `Origin` are checked by the router's middleware like every mutating route; here the role.
//! The socket first replays from Postgres what came after `after`, then follows the run's
//! pub/sub channel, and replays again whenever the subscription reports a gap or a message
//! arrives out of order, so the browser sees every event once, in order.

use app::state::AppState;
use axum::Extension;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use berth_auth::policy::{self, Action, Principal};
use berth_db::runs;
use berth_domain::run::SequencedEvent;
use berth_jobs::Received;
use serde::Deserialize;
use std::time::Duration;
use uuid::Uuid;

#[derive(Debug, Deserialize)]
pub struct Follow {
    run: Uuid,
    #[serde(default)]
    after: i64,
}

/// How often a quiet socket is pinged; a dead browser is noticed at the next send.
const PING_EVERY: Duration = Duration::from_secs(20);

pub async fn follow_run(
    State(state): State<AppState>,
    principal: Option<Extension<Principal>>,
    Query(follow): Query<Follow>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let Some(Extension(principal)) = principal else {
        return (StatusCode::UNAUTHORIZED, "Sign in first.\n").into_response();
    };
    if let Err(denied) = policy::require(&principal, Action::ViewContainers) {
        return (StatusCode::FORBIDDEN, format!("{denied}\n")).into_response();
    }
    upgrade.on_upgrade(move |socket| async move {
        if let Err(error) = stream(state, follow, socket).await {
            tracing::debug!(%error, "run websocket ended");
        }
    })
}

async fn stream(state: AppState, follow: Follow, mut socket: WebSocket) -> anyhow::Result<()> {
    let events = state.queue.events();
    // Subscribed before the first replay, so nothing falls between the two.
    let mut subscription = events.subscribe(&[events.run_channel(follow.run)]).await?;
    let mut last = follow.after.max(0);
    replay(&state, follow.run, &mut last, &mut socket).await?;
    let mut ping = tokio::time::interval(PING_EVERY);
    loop {
        tokio::select! {
            received = subscription.recv() => match received {
                Some(Received::Message(message)) => {
                    match serde_json::from_str::<SequencedEvent>(&message.payload) {
                        Ok(event) if event.seq == last + 1 => {
                            send(&mut socket, &message.payload).await?;
                            last = event.seq;
                        }
                        Ok(event) if event.seq <= last => {}
                        // A hole (or a payload that does not read): Postgres has it right.
                        _ => replay(&state, follow.run, &mut last, &mut socket).await?,
                    }
                }
                Some(Received::Gap) => replay(&state, follow.run, &mut last, &mut socket).await?,
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

/// Sends what Postgres has after `last`, moving `last` along.
async fn replay(
    state: &AppState,
    run: Uuid,
    last: &mut i64,
    socket: &mut WebSocket,
) -> anyhow::Result<()> {
    let mut conn = state.db().get().await?;
    loop {
        let page = runs::events_after(&mut conn, run, *last, 500).await?;
        let Some(end) = page.last().map(|e| e.seq) else {
            return Ok(());
        };
        for event in &page {
            send(socket, &serde_json::to_string(event)?).await?;
        }
        *last = end;
    }
}

async fn send(socket: &mut WebSocket, text: &str) -> anyhow::Result<()> {
    socket.send(Message::Text(text.into())).await?;
    Ok(())
}
