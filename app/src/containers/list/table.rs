//! The containers table: filters, selection, one row per container with its live figures and
//! its actions. Rows render from the live signal, so a push changes only what it touches.

use super::actions::{BulkBar, Controls, RowActions};
use super::dialogs::ActionDialog;
use super::model::{Filter, Live, bytes_text, row_key, uptime_text};
use berth_domain::container::ContainerRow;
use leptos::prelude::*;
use std::collections::BTreeSet;

#[component]
pub fn ContainerTable(live: RwSignal<Live>, can_act: bool) -> impl IntoView {
    let filter = RwSignal::new(Filter::default());
    let controls = Controls {
        live,
        selected: RwSignal::new(BTreeSet::new()),
        dialog: RwSignal::new(None),
        notice: RwSignal::new(None),
    };
    let shown = move || {
        let filter = filter.get();
        live.with(|l| {
            l.rows()
                .iter()
                .filter(|r| filter.matches(r))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let all_selected = move || {
        let shown = shown();
        !shown.is_empty()
            && controls
                .selected
                .with(|s| shown.iter().all(|r| s.contains(&r.vmid)))
    };
    let toggle_all = move |_| {
        let vmids: Vec<u32> = shown().iter().map(|r| r.vmid).collect();
        let select = !all_selected();
        controls.selected.update(|s| {
            for vmid in vmids {
                if select {
                    s.insert(vmid);
                } else {
                    s.remove(&vmid);
                }
            }
        });
    };
    view! {
        <div class="filters" role="search">
            <label for="ct-filter">"Filter"</label>
            <input id="ct-filter" type="search" placeholder="name, VMID, node or tag" data-testid="container-filter"
                on:input=move |ev| filter.update(|f| f.text = event_target_value(&ev)) />
            <label for="ct-status">"Status"</label>
            <select id="ct-status" on:change=move |ev| filter.update(|f| f.status = event_target_value(&ev))>
                <option value="">"any"</option>
                <option value="running">"running"</option>
                <option value="stopped">"stopped"</option>
            </select>
        </div>
        {move || controls.notice.get().map(|n| view! { <p class="alert alert-error" role="alert" data-testid="action-notice">{n}</p> })}
        {can_act.then(|| view! { <BulkBar controls /> <ActionDialog controls /> })}
        <table class="table containers" data-testid="containers">
            <thead>
                <tr>
                    {can_act.then(|| view! {
                        <th scope="col" class="select">
                            <input type="checkbox" aria-label="Select all shown" prop:checked=all_selected on:change=toggle_all />
                        </th>
                    })}
                    <th scope="col">"Status"</th>
                    <th scope="col">"Name"</th>
                    <th scope="col">"VMID"</th>
                    <th scope="col">"Node"</th>
                    <th scope="col">"CPU"</th>
                    <th scope="col">"Memory"</th>
                    <th scope="col">"Uptime"</th>
                    <th scope="col">"Tags"</th>
                    {can_act.then(|| view! { <th scope="col">"Actions"</th> })}
                </tr>
            </thead>
            <tbody>
                <For each=shown key=row_key let:row>
                    <Row row controls can_act />
                </For>
            </tbody>
        </table>
    }
}

#[component]
fn Row(row: ContainerRow, controls: Controls, can_act: bool) -> impl IntoView {
    let vmid = row.vmid;
    let pending = move || {
        controls
            .live
            .with(|l| l.pending(vmid).map(|a| a.kind.doing()))
    };
    let status = row.status.clone();
    let status_attr = row.status.clone();
    let pill = if row.is_running() {
        "pill pill-good"
    } else {
        "pill pill-neutral"
    };
    let cpu = format!("{:.0} % of {}", row.cpu * 100.0, row.cores);
    let memory = format!("{} / {}", bytes_text(row.mem), bytes_text(row.maxmem));
    let uptime = if row.is_running() {
        uptime_text(row.uptime)
    } else {
        "—".into()
    };
    let tags = row
        .tags
        .iter()
        .filter(|t| !t.starts_with("berth-run-"))
        .map(|t| view! { <span class="tag">{t.clone()}</span> })
        .collect_view();
    let checked = move || controls.selected.with(|s| s.contains(&vmid));
    view! {
        <tr data-testid="container-row" data-vmid=vmid data-status=status_attr data-name=row.name.clone()>
            {can_act.then(|| view! {
                <td class="select">
                    <input type="checkbox" aria-label=format!("Select {}", row.name) prop:checked=checked
                        on:change=move |_| controls.selected.update(|s| if !s.remove(&vmid) { s.insert(vmid); }) />
                </td>
            })}
            <td>
                <span class=pill data-testid="container-status">{status}</span>
                {move || pending().map(|doing| view! { <span class="pill pill-busy" data-testid="container-pending">{format!("{doing}…")}</span> })}
                {row.lock.clone().map(|lock| view! { <span class="pill pill-neutral">{format!("locked: {lock}")}</span> })}
            </td>
            <td><a href=format!("/containers/{vmid}")>{row.name.clone()}</a></td>
            <td>{vmid}</td>
            <td>{row.node.clone()}</td>
            <td>{cpu}</td>
            <td>{memory}</td>
            <td>{uptime}</td>
            <td class="tags">{tags}</td>
            {can_act.then(|| view! { <td><RowActions row=row.clone() controls /></td> })}
        </tr>
    }
}
