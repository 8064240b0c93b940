//! `GET /api/v1/runs/{id}/events/stream?after=N`: a run's events as server-sent events, for
//! scripts that watch a run (`curl -N`) instead of polling `/events`.
//!
//! What came after `after` (or after the `Last-Event-ID` a reconnecting client sends, whichever
//! is later) is replayed from Postgres, then the run is followed live ([`crate::run_follow`]).
//! Each event is `id: <seq>`, `event: run-event`, data the event's JSON; once the run has ended
//! and everything was sent, a last `event: end` (data `{"last_seq": N}`) closes the stream.

use super::runs::{not_found, number, run_id};
use super::{ApiError, TokenCaller};
use crate::run_follow::{Followed, RunFollower};
use app::state::AppState;
use axum::Extension;
use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use berth_auth::policy::Action;
use berth_db::runs;
use futures::Stream;
use serde::Deserialize;
use std::convert::Infallible;

#[derive(Debug, Deserialize)]
pub struct StreamQuery {
    #[serde(default)]
    after: String,
}

pub async fn stream(
    Extension(state): Extension<AppState>,
    caller: TokenCaller,
    Path(id): Path<String>,
    Query(query): Query<StreamQuery>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    caller.require(Action::ViewContainers)?;
    let id = run_id(&id)?;
    let after = number(&query.after, "after", 0, i64::MAX)?;
    let seen = match headers.get("last-event-id") {
        Some(value) => number(value.to_str().unwrap_or("-"), "Last-Event-ID", 0, i64::MAX)?,
        None => 0,
    };
    let mut conn = state.db().get().await.map_err(ApiError::internal)?;
    runs::get(&mut conn, id).await.map_err(not_found)?;
    drop(conn);
    let follower = RunFollower::start(
        state.db().clone(),
        &state.queue.events(),
        id,
        after.max(seen),
    )
    .await
    .map_err(ApiError::internal)?;
    let events = futures::stream::unfold(Some(follower), move |follower| async move {
        let mut follower = follower?;
        match follower.next().await {
            Ok(Followed::Event(event)) => {
                let sent = Event::default()
                    .id(event.seq.to_string())
                    .event("run-event")
                    .data(serde_json::to_string(&event).unwrap_or_default());
                Some((Ok(sent), Some(follower)))
            }
            Ok(Followed::Ended) => {
                let last_seq = follower.last_seq();
                let end = Event::default()
                    .event("end")
                    .data(serde_json::json!({ "last_seq": last_seq }).to_string());
                Some((Ok(end), None))
            }
            // The client reconnects with Last-Event-ID and misses nothing.
            Err(error) => {
                tracing::warn!(run = %id, %error, "run event stream ended early");
                None
            }
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
