//! Following a run from the browser over the websocket `/ws?run=<id>&after=<seq>`: the server
//! replays what Postgres has after the last event seen, then sends new events as they happen.
//! After a drop it reconnects with the last sequence number, so nothing is missed or repeated.
//! Whenever events arrive, the run itself (state, stages) is read again.

use super::api::RunView;
use berth_domain::run::SequencedEvent;
use leptos::prelude::*;

pub fn follow(
    id: String,
    run: RwSignal<RunView>,
    events: RwSignal<Vec<SequencedEvent>>,
    loaded: RwSignal<bool>,
) {
    #[cfg(feature = "hydrate")]
    browser::start(id, run, events, loaded);
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, run, events, loaded);
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::api::{RunView, get_run};
    use crate::components::open_socket;
    use berth_domain::run::SequencedEvent;
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use send_wrapper::SendWrapper;
    use std::time::Duration;
    use web_sys::WebSocket;

    /// Everything a connection needs; all of it `Copy`, so each callback takes its own.
    #[derive(Clone, Copy)]
    struct Follower {
        id: StoredValue<String>,
        run: RwSignal<RunView>,
        events: RwSignal<Vec<SequencedEvent>>,
        loaded: RwSignal<bool>,
        socket: StoredValue<Option<SendWrapper<WebSocket>>>,
        /// False once the page is gone: no reconnecting after that.
        alive: StoredValue<bool>,
        refreshing: StoredValue<bool>,
        stale: StoredValue<bool>,
    }

    pub fn start(
        id: String,
        run: RwSignal<RunView>,
        events: RwSignal<Vec<SequencedEvent>>,
        loaded: RwSignal<bool>,
    ) {
        let follower = Follower {
            id: StoredValue::new(id),
            run,
            events,
            loaded,
            socket: StoredValue::new(None),
            alive: StoredValue::new(true),
            refreshing: StoredValue::new(false),
            stale: StoredValue::new(false),
        };
        on_cleanup(move || {
            follower.alive.set_value(false);
            if let Some(Some(socket)) = follower.socket.try_get_value() {
                let _ = socket.close();
            }
        });
        connect(follower);
    }

    fn connect(f: Follower) {
        let after = last_seq(f);
        let Some(id) = f.id.try_get_value() else {
            return;
        };
        let on_text = move |text: String| {
            let Ok(event) = serde_json::from_str::<SequencedEvent>(&text) else {
                return;
            };
            if event.seq > last_seq(f) {
                let _ = f.events.try_update(|all| all.push(event));
                refresh(f);
            }
        };
        let opened = open_socket(
            &format!("run={id}&after={after}"),
            move || {
                let _ = f.loaded.try_set(true);
            },
            on_text,
            move || retry(f),
        );
        let Some(socket) = opened else {
            return retry(f);
        };
        f.socket.try_set_value(Some(SendWrapper::new(socket)));
    }

    /// Reconnects after a pause, unless the page is gone or the run is over and fully shown.
    fn retry(f: Follower) {
        if !f.alive.try_get_value().unwrap_or(false) {
            return;
        }
        set_timeout(
            move || {
                let finished = f
                    .run
                    .try_with_untracked(|r| r.summary.state.is_final() && r.last_seq <= last_seq(f))
                    .unwrap_or(true);
                if f.alive.try_get_value().unwrap_or(false) && !finished {
                    connect(f);
                }
            },
            Duration::from_secs(2),
        );
    }

    fn last_seq(f: Follower) -> i64 {
        f.events
            .try_with_untracked(|all| all.last().map_or(0, |e| e.seq))
            .unwrap_or(0)
    }

    /// Reads the run again; events arriving meanwhile cause one more read afterwards.
    fn refresh(f: Follower) {
        if f.refreshing.try_get_value().unwrap_or(true) {
            f.stale.try_set_value(true);
            return;
        }
        f.refreshing.try_set_value(true);
        spawn_local(async move {
            loop {
                f.stale.try_set_value(false);
                let Some(id) = f.id.try_get_value() else {
                    return;
                };
                if let Ok(view) = get_run(id).await {
                    let _ = f.run.try_set(view);
                }
                if !f.stale.try_get_value().unwrap_or(false) {
                    break;
                }
            }
            f.refreshing.try_set_value(false);
        });
    }
}
