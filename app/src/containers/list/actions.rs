//! Asking for actions from the page: the per-row buttons, the selection's bulk bar, and what
//! failed. A request goes to `container_action`; its progress comes back over the websocket.

use super::dialogs::Dialog;
use super::model::Live;
use crate::containers::api::container_action;
use berth_domain::container::{ActionKind, ActionRequest, ContainerRow};
use leptos::prelude::*;
use std::collections::BTreeSet;

/// What the page shares between its rows, its bulk bar and its dialogs.
#[derive(Clone, Copy)]
pub struct Controls {
    pub live: RwSignal<Live>,
    pub selected: RwSignal<BTreeSet<u32>>,
    pub dialog: RwSignal<Option<Dialog>>,
    /// The last refusal from the server, shown above the table.
    pub notice: RwSignal<Option<String>>,
}

impl Controls {
    /// Sends `request`; the action shows on its row at once, or the refusal above the table.
    /// `done` gets the error message (for a dialog to show at its field) or `None`.
    pub fn send(self, request: ActionRequest, done: impl Fn(Option<String>) + 'static) {
        leptos::task::spawn_local(async move {
            match container_action(request).await {
                Ok(action) => {
                    self.live.update(|l| l.record(action));
                    self.notice.set(None);
                    done(None);
                }
                Err(error) => {
                    self.notice.set(Some(error.to_string()));
                    done(Some(error.to_string()));
                }
            }
        });
    }

    fn power(self, vmid: u32, kind: ActionKind) {
        self.send(
            ActionRequest {
                vmid,
                kind,
                snapshot: None,
                description: None,
                confirm: None,
            },
            |_| {},
        );
    }
}

/// The buttons of one row: what the container's state allows, disabled while an action runs.
#[component]
pub fn RowActions(row: ContainerRow, controls: Controls) -> impl IntoView {
    let vmid = row.vmid;
    let name = row.name.clone();
    let busy = move || controls.live.with(|l| l.pending(vmid).is_some());
    let power: Vec<ActionKind> = if row.is_running() {
        vec![ActionKind::Shutdown, ActionKind::Stop, ActionKind::Reboot]
    } else {
        vec![ActionKind::Start]
    };
    let power = power
        .into_iter()
        .map(|kind| {
            view! {
                <button type="button" class="button button-small" disabled=busy
                    data-testid=format!("action-{}", kind.as_str())
                    on:click=move |_| controls.power(vmid, kind)>
                    {kind.label()}
                </button>
            }
        })
        .collect_view();
    let snapshot_name = name.clone();
    view! {
        <div class="row-actions">
            {power}
            <button type="button" class="button button-small" disabled=busy data-testid="action-snapshot"
                on:click=move |_| controls.dialog.set(Some(Dialog::Snapshot { vmid, name: snapshot_name.clone() }))>
                "Snapshot"
            </button>
            <button type="button" class="button button-small button-danger" disabled=busy data-testid="action-destroy"
                on:click=move |_| controls.dialog.set(Some(Dialog::Destroy { vmid, name: name.clone() }))>
                "Destroy"
            </button>
        </div>
    }
}

/// Power actions for every selected container that the action suits.
#[component]
pub fn BulkBar(controls: Controls) -> impl IntoView {
    let count = move || controls.selected.with(BTreeSet::len);
    let apply = move |kind: ActionKind| {
        let targets: Vec<u32> = controls.live.with_untracked(|l| {
            controls.selected.with_untracked(|selected| {
                l.rows()
                    .iter()
                    .filter(|r| selected.contains(&r.vmid))
                    .filter(|r| (kind == ActionKind::Start) != r.is_running())
                    .filter(|r| l.pending(r.vmid).is_none())
                    .map(|r| r.vmid)
                    .collect()
            })
        });
        for vmid in targets {
            controls.power(vmid, kind);
        }
        controls.selected.set(BTreeSet::new());
    };
    let buttons = move || {
        ActionKind::POWER
        .into_iter()
        .map(|kind| {
            view! {
                <button type="button" class="button button-small" data-testid=format!("bulk-{}", kind.as_str())
                    on:click=move |_| apply(kind)>
                    {kind.label()}
                </button>
            }
        })
        .collect_view()
    };
    view! {
        <Show when=move || { count() > 0 }>
            <div class="bulk-bar" role="region" aria-label="Selected containers" data-testid="bulk-bar">
                <span>{move || format!("{} selected", count())}</span>
                {buttons()}
                <button type="button" class="button button-small button-quiet"
                    on:click=move |_| controls.selected.set(BTreeSet::new())>
                    "Clear"
                </button>
            </div>
        </Show>
    }
}

/// Recently failed actions, with Proxmox's reason.
#[component]
pub fn Failures(live: RwSignal<Live>) -> impl IntoView {
    let failures = move || {
        live.with(|l| {
            l.failures()
                .into_iter()
                .take(3)
                .map(|a| {
                    format!(
                        "{} of {} (CT {}) failed: {}",
                        a.kind.label(),
                        a.name,
                        a.vmid,
                        a.error.clone().unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || !failures().is_empty()>
            <div class="alert alert-error" role="alert" data-testid="action-failures">
                <ul>{move || failures().into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul>
            </div>
        </Show>
    }
}
