//! A run's progress page at `/jobs/:id`: its state, who started it from which template
//! version, the stages and the live log, Cancel while it can still be stopped, and what to do
//! once it failed (retry, or destroy what it made). It survives
//! reloads: everything is read back from Postgres, then followed.

use super::api::{CancelRun, RunView, get_run};
use super::apps::AppLinks;
use super::follow::follow;
use super::page::RunStatePill;
use super::recovery::Recovery;
use super::run_log::RunLog;
use super::stage_list::StageList;
use super::stages::duration_text;
use crate::components::{ErrorPanel, PageHeader, confirmed};
use berth_domain::run::SequencedEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn RunPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let run = Resource::new(id, get_run);
    let body = move || {
        Suspend::new(async move {
            match run.await {
                Ok(view) => view! { <RunProgress initial=view /> }.into_any(),
                Err(error) => view! { <ErrorPanel error /> }.into_any(),
            }
        })
    };
    view! {
        <PageHeader title="Run" lead="A container being built from its template, stage by stage.">
            <a class="button button-quiet" href="/jobs">"All jobs"</a>
        </PageHeader>
        <Suspense fallback=|| view! { <p class="muted">"Loading the run…"</p> }>{body}</Suspense>
    }
}

#[component]
fn RunProgress(initial: RunView) -> impl IntoView {
    let id = initial.summary.id.clone();
    let run = RwSignal::new(initial);
    let events = RwSignal::new(Vec::<SequencedEvent>::new());
    let loaded = RwSignal::new(false);
    follow(id.clone(), run, events, loaded);

    let cancel = ServerAction::<CancelRun>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = cancel.value().get() {
            run.update(|r| {
                r.cancel_requested = true;
                r.can_cancel = false;
            });
        }
    });
    let on_cancel = {
        let id = id.clone();
        move |_| {
            if confirmed("Cancel this run? A running stage stops at its next safe point.") {
                cancel.dispatch(CancelRun { id: id.clone() });
            }
        }
    };
    let summary = move || run.with(|r| r.summary.clone());
    let stages = Signal::derive(move || run.with(|r| r.stages.clone()));
    view! {
        <section class="run-head" data-testid="run" data-run-id=id>
            <div class="run-title">
                <h2 class="mono">{move || summary().hostname}</h2>
                {move || view! { <RunStatePill state=summary().state /> }}
                <Show when=move || run.with(|r| r.cancel_requested && !r.summary.state.is_final())>
                    <span class="pill pill-neutral">"Cancel requested"</span>
                </Show>
                <Show when=move || run.with(|r| r.can_cancel && !r.cancel_requested)>
                    <button type="button" class="button button-danger" data-testid="cancel-run"
                        disabled=move || cancel.pending().get() on:click=on_cancel.clone()>
                        "Cancel"
                    </button>
                </Show>
            </div>
            <dl class="facts">
                <dt>"Template"</dt>
                <dd>{move || { let s = summary(); format!("{} v{}", s.template_name, s.template_version) }}</dd>
                <dt>"Started by"</dt>
                <dd>{move || summary().requested_by}</dd>
                <dt>"Created"</dt>
                <dd>{move || summary().created_at.replace('T', " ").replace('Z', " UTC")}</dd>
                <dt>"VMID and node"</dt>
                <dd>{move || { let s = summary(); format!("{} on {}",
                    s.vmid.map_or("not yet".into(), |v| v.to_string()),
                    s.node.unwrap_or_else(|| "a node not yet chosen".into())) }}</dd>
                <dt>"Attempt"</dt>
                <dd>{move || summary().attempt}</dd>
                <dt>"Duration"</dt>
                <dd>{move || summary().duration_ms.map_or("not started".into(), |ms| duration_text(ms.max(0) as u64))}</dd>
            </dl>
            {move || summary().error.map(|error| view! {
                <div class="error-panel" role="alert" data-testid="run-error"><p>{error}</p></div>
            })}
            {move || match cancel.value().get() {
                Some(Err(error)) => Some(view! { <ErrorPanel error /> }),
                _ => None,
            }}
        </section>
        <Show when=move || run.with(|r| r.can_recover)>
            <Recovery run />
        </Show>
        <AppLinks apps=Signal::derive(move || run.with(|r| r.apps.clone())) />
        <div class="run-body">
            <StageList stages />
            <RunLog events loaded=loaded.into() />
        </div>
    }
}
