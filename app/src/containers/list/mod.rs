//! The Containers page: every LXC in the cluster as the status poller last saw it, kept live
//! over the websocket, with power, snapshot and destroy actions per row and for a selection.

mod actions;
mod dialogs;
mod live;
mod model;
mod table;

pub(crate) use actions::{Controls, RowActions};
pub(crate) use dialogs::{ActionDialog, Dialog};
pub(crate) use live::follow;
pub(crate) use model::{Live, bytes_text, uptime_text};

use super::api::containers_overview;
use crate::components::{EmptyState, ErrorPanel, PageHeader};
use leptos::prelude::*;

#[component]
pub fn ContainersPage() -> impl IntoView {
    let overview = Resource::new(|| (), |()| containers_overview());
    let body = move || {
        Suspend::new(async move {
            match overview.await {
                Ok(overview) => {
                    let live = RwSignal::new(Live::new(overview.snapshot, overview.actions));
                    live::follow(live);
                    view! { <LiveList live can_act=overview.can_act /> }.into_any()
                }
                Err(error) => view! { <ErrorPanel error /> }.into_any(),
            }
        })
    };
    view! {
        <PageHeader title="Containers" lead="Every container in the cluster, live, with day-to-day actions.">
            <a class="button" href="/containers/new" data-testid="new-container">"New container"</a>
        </PageHeader>
        <Suspense fallback=|| view! { <p class="muted">"Loading containers…"</p> }>{body}</Suspense>
    }
}

#[component]
fn LiveList(live: RwSignal<Live>, can_act: bool) -> impl IntoView {
    let empty = move || live.with(|l| l.rows().is_empty());
    view! {
        <Freshness live />
        <actions::Failures live />
        <Show
            when=move || !empty()
            fallback=move || {
                let polled = live.with(|l| l.snapshot.is_some());
                view! {
                    <EmptyState title=if polled { "No containers yet" } else { "Waiting for the first status poll" }>
                        <p>
                            {if polled {
                                "Containers that Berth provisions from a template will be listed here with their live status."
                            } else {
                                "berth-worker reads the cluster every few seconds; the list appears once it has."
                            }}
                        </p>
                    </EmptyState>
                }
            }
        >
            <table::ContainerTable live can_act />
        </Show>
    }
}

/// How current the list is: live, reconnecting, or Proxmox unreachable since when.
#[component]
fn Freshness(live: RwSignal<Live>) -> impl IntoView {
    let line = move || {
        live.with(|l| {
            let snapshot = l.snapshot.as_ref();
            let failing = snapshot.and_then(|s| s.failing_since.clone());
            let taken = snapshot.map(|s| s.taken_at.replace('T', " ").replace('Z', " UTC"));
            match (failing, l.connected) {
                (Some(since), _) => (
                    "freshness freshness-bad",
                    format!(
                        "Proxmox has not answered since {}; showing the cluster as of {}.",
                        since.replace('T', " ").replace('Z', " UTC"),
                        taken.unwrap_or_default()
                    ),
                ),
                (None, false) => (
                    "freshness freshness-stale",
                    format!(
                        "Connecting for live updates… the list is as of {}.",
                        taken.unwrap_or_else(|| "—".into())
                    ),
                ),
                (None, true) => (
                    "freshness freshness-live",
                    format!("Live · last poll {}", taken.unwrap_or_else(|| "—".into())),
                ),
            }
        })
    };
    view! {
        <p class=move || line().0 data-testid="freshness" role="status">{move || line().1}</p>
    }
}
