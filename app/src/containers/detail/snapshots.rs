//! A container's snapshots: roll back (the container's name typed to confirm, as it discards
//! everything since) and delete, through the same queued actions as the list.

use super::api::SnapshotView;
use crate::components::confirmed;
use crate::containers::list::{Controls, Dialog};
use berth_domain::container::{ActionKind, ActionRequest};
use leptos::prelude::*;

#[component]
pub fn Snapshots(
    vmid: u32,
    name: String,
    snapshots: Vec<SnapshotView>,
    controls: Controls,
    can_act: bool,
) -> impl IntoView {
    if snapshots.is_empty() {
        return view! { <p class="muted" data-testid="snapshots">"No snapshots."</p> }.into_any();
    }
    let busy = move || controls.live.with(|l| l.pending(vmid).is_some());
    let rows = snapshots
        .into_iter()
        .map(|snapshot| {
            let rollback_name = name.clone();
            let snap = snapshot.name.clone();
            let delete_snap = snapshot.name.clone();
            let delete = move |_| {
                if confirmed(&format!("Delete snapshot {delete_snap} of CT {vmid}?")) {
                    let request = ActionRequest {
                        vmid,
                        kind: ActionKind::DeleteSnapshot,
                        snapshot: Some(delete_snap.clone()),
                        description: None,
                        confirm: None,
                    };
                    controls.send(request, |_| {});
                }
            };
            view! {
                <tr data-testid="snapshot-row" data-name=snapshot.name.clone()>
                    <td>{snapshot.name.clone()}</td>
                    <td>{snapshot.taken_at.clone().unwrap_or_default().replace('T', " ").replace('Z', " UTC")}</td>
                    <td>{snapshot.description.clone()}</td>
                    {can_act.then(|| view! {
                        <td class="row-actions">
                            <button type="button" class="button button-small" disabled=busy data-testid="snapshot-rollback"
                                on:click=move |_| controls.dialog.set(Some(Dialog::Rollback { vmid, name: rollback_name.clone(), snapshot: snap.clone() }))>
                                "Roll back"
                            </button>
                            <button type="button" class="button button-small button-danger" disabled=busy data-testid="snapshot-delete"
                                on:click=delete>
                                "Delete"
                            </button>
                        </td>
                    })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table" data-testid="snapshots">
            <thead><tr>
                <th scope="col">"Name"</th><th scope="col">"Taken"</th><th scope="col">"Description"</th>
                {can_act.then(|| view! { <th scope="col">"Actions"</th> })}
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
