//! The detail page: the server function's answer rendered once, kept live by the containers
//! websocket (status, pending actions), and read again whenever one of its actions ends.

use super::api::{DetailView, container_detail};
use super::graphs::Graphs;
use super::snapshots::Snapshots;
use crate::components::{ErrorPanel, PageHeader};
use crate::containers::list::{
    ActionDialog, Controls, Live, RowActions, bytes_text, follow, uptime_text,
};
use crate::jobs::RunStatePill;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use std::collections::BTreeSet;

#[component]
pub fn ContainerPage() -> impl IntoView {
    let params = use_params_map();
    let vmid = move || {
        params.with(|p| {
            p.get("vmid")
                .and_then(|v| v.parse::<u32>().ok())
                .unwrap_or_default()
        })
    };
    let detail = Resource::new(vmid, container_detail);
    let live = RwSignal::new(Live::new(None, Vec::new()));
    follow(live);
    // Read again when an action on this container ends (its snapshots or config changed).
    let settled = Memo::new(move |_| {
        let vmid = vmid();
        live.with(|l| {
            l.actions
                .iter()
                .filter(|a| a.vmid == vmid && a.state.is_final())
                .count()
        })
    });
    Effect::watch(
        move || settled.get(),
        move |_, _, _| detail.refetch(),
        false,
    );
    let body = move || {
        Suspend::new(async move {
            match detail.await {
                Ok(detail) => view! { <Detail detail live /> }.into_any(),
                Err(error) => view! {
                    <PageHeader title="Container" />
                    <ErrorPanel error />
                }
                .into_any(),
            }
        })
    };
    view! { <Transition fallback=|| view! { <p class="muted">"Loading the container…"</p> }>{body}</Transition> }
}

#[component]
fn Detail(detail: DetailView, live: RwSignal<Live>) -> impl IntoView {
    let DetailView {
        row,
        config,
        addresses,
        snapshots,
        history,
        runs,
        actions,
        can_act,
        gaps,
    } = detail;
    let vmid = row.vmid;
    let controls = Controls {
        live,
        selected: RwSignal::new(BTreeSet::new()),
        dialog: RwSignal::new(None),
        notice: RwSignal::new(None),
    };
    // The live row once the socket has one; the rendered one until then.
    let first = StoredValue::new(row.clone());
    let current = move || {
        live.with(|l| l.rows().iter().find(|r| r.vmid == vmid).cloned())
            .unwrap_or_else(|| first.get_value())
    };
    let status = move || current().status;
    let pending = move || live.with(|l| l.pending(vmid).map(|a| a.kind.doing()));
    let title = format!("{} (CT {vmid})", row.name);
    let config = config
        .into_iter()
        .map(|(k, v)| view! { <tr><th scope="row">{k}</th><td><code>{v}</code></td></tr> })
        .collect_view();
    let runs = runs
        .into_iter()
        .map(|run| {
            view! {
                <li><a href=format!("/jobs/{}", run.id)>{format!("{} v{}", run.template_name, run.template_version)}</a>
                " " <RunStatePill state=run.state /> " " <span class="muted">{format!("by {} · {}", run.requested_by, run.created_at)}</span></li>
            }
        })
        .collect_view();
    let actions = actions
        .into_iter()
        .map(|a| view! {
            <li>{format!("{} · {} · {} · {}", a.kind.label(), a.state.as_str(), a.requested_by, a.created_at)}
            {a.error.map(|e| view! { <span class="field-problem">{format!(" — {e}")}</span> })}</li>
        })
        .collect_view();
    view! {
        // The page's own header: its title names the container (PageHeader takes a fixed one).
        <Title text=title.clone() />
        <div class="page-header">
            <div>
                <h1>{title}</h1>
                <p class="lead">"Live status, graphs of the last hour, configuration and snapshots."</p>
            </div>
            <div class="page-actions"><a class="button button-quiet" href="/containers">"All containers"</a></div>
        </div>
        {move || controls.notice.get().map(|n| view! { <p class="alert alert-error" role="alert" data-testid="action-notice">{n}</p> })}
        {can_act.then(|| view! { <ActionDialog controls /> })}
        <section class="panel detail-status" data-testid="container-detail" data-status=status>
            <p>
                <span class=move || if status() == "running" { "pill pill-good" } else { "pill pill-neutral" }>{status}</span>
                {move || pending().map(|d| view! { <span class="pill pill-busy">{format!("{d}…")}</span> })}
                {format!(" on {} · {} cores · {} memory", row.node, row.cores, bytes_text(row.maxmem))}
                {row.is_running().then(|| format!(" · up {}", uptime_text(row.uptime)))}
            </p>
            {(!addresses.is_empty()).then(|| view! { <p>"Addresses: " <code>{addresses.join(", ")}</code></p> })}
            {can_act.then_some(move || view! { <RowActions row=current() controls /> })}
            {(!gaps.is_empty()).then(|| view! { <p class="muted">{format!("Not available now: {}", gaps.join("; "))}</p> })}
        </section>
        <h2>"Last hour"</h2>
        <Graphs history />
        <h2>"Snapshots"</h2>
        <Snapshots vmid name=row.name.clone() snapshots controls can_act />
        <h2>"Configuration"</h2>
        <table class="table config"><tbody>{config}</tbody></table>
        <h2>"Runs"</h2>
        <ul class="plain-list" data-testid="container-runs">{runs}</ul>
        <h2>"Recent actions"</h2>
        <ul class="plain-list" data-testid="container-actions">{actions}</ul>
    }
}
