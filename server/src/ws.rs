//! The browser's websocket. The session and the `Origin` are checked by the router's middleware
//! like every mutating route; here the role.
//!
//! - `GET /ws?run=<id>&after=<seq>`: a run's events, live. The socket first replays from
//!   Postgres what came after `after`, then follows the run's pub/sub channel, and replays again
//!   whenever the subscription reports a gap or a message arrives out of order, so the browser
//!   sees every event once, in order.
//! - `GET /ws?containers=main`: the cluster's container status and actions (see
//!   [`crate::containers_ws`]): the snapshot first, then what changes. Proxmox never hears of
//!   these sockets; they all share the one poller.

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
    #[serde(default)]
    run: Option<Uuid>,
    /// A cluster whose containers to follow instead of a run.
    #[serde(default)]
    containers: Option<String>,
    #[serde(default)]
    after: i64,
}

/// How often a quiet socket is pinged; a dead browser is noticed at the next send.
pub(crate) const PING_EVERY: Duration = Duration::from_secs(20);

/// What a socket reads at most in one go. Browsers only send pongs and a close here, and
/// tungstenite zero-fills the whole read buffer on its first read: its default of 128 KiB would
/// be most of what an idle socket costs.
const READ_BUFFER: usize = 4 * 1024;

/// One open socket in `berth_websocket_clients`, for as long as it lives.
struct Open(&'static str);

impl Open {
    fn count(kind: &'static str) -> Self {
        metrics::gauge!("berth_websocket_clients", "follows" => kind).increment(1.0);
        Self(kind)
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        metrics::gauge!("berth_websocket_clients", "follows" => self.0).decrement(1.0);
    }
}

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
    let upgrade = upgrade.read_buffer_size(READ_BUFFER);
    match (follow.run, follow.containers) {
        (Some(run), None) => upgrade.on_upgrade(move |socket| async move {
            let _open = Open::count("run");
            if let Err(error) = stream(state, run, follow.after, socket).await {
                tracing::debug!(%error, "run websocket ended");
            }
        }),
        (None, Some(cluster)) if cluster == app::containers::CLUSTER => {
            upgrade.on_upgrade(move |socket| async move {
                let _open = Open::count("containers");
                if let Err(error) = crate::containers_ws::stream(state, socket).await {
                    tracing::debug!(%error, "containers websocket ended");
                }
            })
        }
        (None, Some(cluster)) => (
            StatusCode::NOT_FOUND,
            format!("There is no cluster {cluster:?}.\n"),
        )
            .into_response(),
        _ => (
            StatusCode::BAD_REQUEST,
            "Ask for one thing to follow: ?run=<id> or ?containers=<cluster>.\n",
        )
            .into_response(),
    }
}

async fn stream(
    state: AppState,
    run: Uuid,
    after: i64,
    mut socket: WebSocket,
) -> anyhow::Result<()> {
    let events = state.queue.events();
    // Subscribed before the first replay, so nothing falls between the two.
    let mut subscription = events.subscribe(&[events.run_channel(run)]).await?;
    let mut last = after.max(0);
    replay(&state, run, &mut last, &mut socket).await?;
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
                        _ => replay(&state, run, &mut last, &mut socket).await?,
                    }
                }
                Some(Received::Gap) => replay(&state, run, &mut last, &mut socket).await?,
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

pub(crate) async fn send(socket: &mut WebSocket, text: &str) -> anyhow::Result<()> {
    socket.send(Message::Text(text.into())).await?;
    Ok(())
}
