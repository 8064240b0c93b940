//! The two actions that ask for more than a click: destroy (type the name; it cannot be undone)
//! and snapshot (a name Proxmox accepts, and an optional description).

use super::actions::Controls;
use berth_domain::container::{ActionKind, ActionRequest, snapshot_name_problem};
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    Destroy {
        vmid: u32,
        name: String,
    },
    Snapshot {
        vmid: u32,
        name: String,
    },
    Rollback {
        vmid: u32,
        name: String,
        snapshot: String,
    },
}

#[component]
pub fn ActionDialog(controls: Controls) -> impl IntoView {
    move || {
        controls.dialog.get().map(|dialog| match dialog {
            Dialog::Destroy { vmid, name } => {
                view! { <TypedDialog vmid name snapshot=None controls /> }.into_any()
            }
            Dialog::Rollback {
                vmid,
                name,
                snapshot,
            } => view! { <TypedDialog vmid name snapshot=Some(snapshot) controls /> }.into_any(),
            Dialog::Snapshot { vmid, name } => {
                view! { <SnapshotDialog vmid name controls /> }.into_any()
            }
        })
    }
}

/// Destroy, or roll back to `snapshot`: what cannot be undone waits for the typed name.
#[component]
fn TypedDialog(
    vmid: u32,
    name: String,
    snapshot: Option<String>,
    controls: Controls,
) -> impl IntoView {
    let (kind, title, warning) = match &snapshot {
        None => (
            ActionKind::Destroy,
            format!("Destroy {name} (CT {vmid})?"),
            "The container and its disks are removed from Proxmox. This cannot be undone."
                .to_string(),
        ),
        Some(snap) => (
            ActionKind::Rollback,
            format!("Roll {name} (CT {vmid}) back to {snap}?"),
            format!(
                "Everything written since {snap} is lost; a running container is stopped first."
            ),
        ),
    };
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let expected = name.clone();
    let matches = move || typed.with(|t| t.trim() == expected);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = ActionRequest {
            vmid,
            kind,
            snapshot: snapshot.clone(),
            description: None,
            confirm: Some(typed.get_untracked()),
        };
        controls.send(request, move |refused| match refused {
            None => controls.dialog.set(None),
            Some(message) => error.set(Some(message)),
        });
    };
    view! {
        <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="destroy-title" data-testid="destroy-dialog">
            <form on:submit=submit>
                <h2 id="destroy-title">{title}</h2>
                <p>{warning}</p>
                <label for="destroy-confirm">{format!("Type {name} to confirm")}</label>
                <input id="destroy-confirm" name="confirm" autocomplete="off" data-testid="destroy-confirm"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
                {move || error.get().map(|e| view! { <p class="field-problem" role="alert">{e}</p> })}
                <div class="dialog-buttons">
                    <button type="button" class="button button-quiet" on:click=move |_| controls.dialog.set(None)>"Cancel"</button>
                    <button type="submit" class="button button-danger" disabled=move || !matches() data-testid="destroy-submit">{kind.label()}</button>
                </div>
            </form>
        </div>
    }
}

#[component]
fn SnapshotDialog(vmid: u32, name: String, controls: Controls) -> impl IntoView {
    let snapshot = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let snapname = snapshot.get_untracked().trim().to_string();
        if let Some(problem) = snapshot_name_problem(&snapname) {
            error.set(Some(problem));
            return;
        }
        let text = description.get_untracked();
        let request = ActionRequest {
            vmid,
            kind: ActionKind::Snapshot,
            snapshot: Some(snapname),
            description: (!text.trim().is_empty()).then_some(text),
            confirm: None,
        };
        controls.send(request, move |refused| match refused {
            None => controls.dialog.set(None),
            Some(message) => error.set(Some(message)),
        });
    };
    view! {
        <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="snapshot-title" data-testid="snapshot-dialog">
            <form on:submit=submit>
                <h2 id="snapshot-title">{format!("Snapshot {name} (CT {vmid})")}</h2>
                <label for="snapshot-name">"Name"</label>
                <input id="snapshot-name" name="snapshot" required autocomplete="off" data-testid="snapshot-name"
                    placeholder="before-upgrade"
                    prop:value=move || snapshot.get() on:input=move |ev| snapshot.set(event_target_value(&ev)) />
                <p class="hint">"2–40 characters: a letter, then letters, digits, _ or -."</p>
                <label for="snapshot-description">"Description (optional)"</label>
                <textarea id="snapshot-description" name="description" rows="2"
                    prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                {move || error.get().map(|e| view! { <p class="field-problem" role="alert" data-testid="snapshot-error">{e}</p> })}
                <div class="dialog-buttons">
                    <button type="button" class="button button-quiet" on:click=move |_| controls.dialog.set(None)>"Cancel"</button>
                    <button type="submit" class="button" data-testid="snapshot-submit">"Take snapshot"</button>
                </div>
            </form>
        </div>
    }
}
