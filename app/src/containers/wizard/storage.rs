//! Storage: where the root disk lives and how big it is, and extra mount points.

use super::Wizard;
use super::fields::{Field, Kind, SpecField, parse_number};
use berth_domain::container::{ContainerSpec, MountPoint};
use leptos::prelude::*;

#[component]
pub fn StorageStep() -> impl IntoView {
    let spec = expect_context::<Wizard>().spec;
    let count = Memo::new(move |_| spec.with(|s| s.storage.mount_points.len()));
    let add = move |_| {
        spec.update(|s| {
            let storage = s.storage.rootfs.storage.clone();
            let path = format!("/mnt/data{}", s.storage.mount_points.len());
            s.storage.mount_points.push(MountPoint {
                storage,
                size_gib: 8,
                path,
            });
        })
    };
    view! {
        <fieldset class="form-section" data-testid="step-storage">
            <legend>"Storage"</legend>
            <div class="fields">
                <SpecField label="Storage" path="storage.rootfs.storage" mono=true placeholder="local-lvm"
                    hint="A Proxmox storage that holds container volumes."
                    read=|s| s.storage.rootfs.storage.clone()
                    write=|s, v| s.storage.rootfs.storage = v.trim().to_string() />
                <SpecField label="Root disk (GiB)" path="storage.rootfs.size_gib" kind=Kind::Number
                    read=|s| s.storage.rootfs.size_gib.to_string()
                    write=|s, v| s.storage.rootfs.size_gib = parse_number(&v) />
            </div>
            <h3 class="wizard-subhead">"Mount points"</h3>
            {move || (0..count.get()).map(|i| view! { <MountPointRow i /> }).collect_view()}
            <button type="button" class="button button-quiet" on:click=add data-testid="add-mount-point">
                "Add a mount point"
            </button>
        </fieldset>
    }
}

#[component]
fn MountPointRow(i: usize) -> impl IntoView {
    let spec = expect_context::<Wizard>().spec;
    let text = move |read: fn(&MountPoint) -> String| {
        Signal::derive(move || {
            spec.with(|s| s.storage.mount_points.get(i).map(read).unwrap_or_default())
        })
    };
    let edit = move |write: fn(&mut MountPoint, String)| {
        Callback::new(move |v: String| {
            spec.update(|s: &mut ContainerSpec| {
                if let Some(mp) = s.storage.mount_points.get_mut(i) {
                    write(mp, v);
                }
            })
        })
    };
    let at = move |field: &str| format!("storage.mount_points[{i}].{field}");
    let remove = move |_| {
        spec.update(|s| {
            if i < s.storage.mount_points.len() {
                s.storage.mount_points.remove(i);
            }
        })
    };
    view! {
        <div class="fields list-item" data-testid="mount-point">
            <Field label="Path in the container" path=at("path") mono=true
                value=text(|mp| mp.path.clone()) on_change=edit(|mp, v| mp.path = v.trim().to_string()) />
            <Field label="Storage" path=at("storage") mono=true
                value=text(|mp| mp.storage.clone()) on_change=edit(|mp, v| mp.storage = v.trim().to_string()) />
            <Field label="Size (GiB)" path=at("size_gib") kind=Kind::Number
                value=text(|mp| mp.size_gib.to_string()) on_change=edit(|mp, v| mp.size_gib = parse_number(&v)) />
            <div class="item-actions">
                <button type="button" class="button button-quiet" on:click=remove>
                    {format!("Remove mount point {}", i + 1)}
                </button>
            </div>
        </div>
    }
}
