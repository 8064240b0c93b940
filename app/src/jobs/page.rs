//! The Jobs page: every provisioning run, newest first, with who started it, the template
//! version, its state and how long it took. The state filter is a plain GET form, so the URL
//! says what is shown.

use super::api::list_runs;
use super::stages::duration_text;
use crate::components::{EmptyState, ErrorPanel, PageHeader};
use berth_domain::run::{RunState, RunSummary};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn JobsPage() -> impl IntoView {
    let query = use_query_map();
    let state = move || query.with(|q| q.get("state").unwrap_or_default());
    let runs = Resource::new(state, list_runs);
    let body = move || {
        Suspend::new(async move {
            match runs.await {
                Ok(runs) if runs.is_empty() => view! {
                    <EmptyState title="No runs here">
                        <p>"Each container Berth creates is a run; start one with New container."</p>
                    </EmptyState>
                }
                .into_any(),
                Ok(runs) => view! { <RunTable runs /> }.into_any(),
                Err(error) => view! { <ErrorPanel error /> }.into_any(),
            }
        })
    };
    view! {
        <PageHeader title="Jobs" lead="Provisioning runs: queued, running and finished, stage by stage.">
            <a class="button" href="/containers/new">"New container"</a>
        </PageHeader>
        <StateFilter selected=state() />
        <Transition fallback=|| view! { <p class="muted">"Loading runs…"</p> }>{body}</Transition>
    }
}

#[component]
fn StateFilter(selected: String) -> impl IntoView {
    let options = RunState::ALL
        .into_iter()
        .map(|s| view! { <option value=s.key() selected=selected == s.key()>{s.label()}</option> })
        .collect_view();
    view! {
        <form class="filters" method="get" action="/jobs" data-testid="run-filters">
            <label for="run-state">"State"</label>
            <select id="run-state" name="state">
                <option value="" selected=selected.is_empty()>"any"</option>
                {options}
            </select>
            <button type="submit" class="button">"Filter"</button>
        </form>
    }
}

#[component]
fn RunTable(runs: Vec<RunSummary>) -> impl IntoView {
    let rows = runs
        .into_iter()
        .map(|run| {
            let href = format!("/jobs/{}", run.id);
            let duration = run.duration_ms.map(|ms| duration_text(ms.max(0) as u64));
            view! {
                <tr data-testid="run-row" data-state=run.state.key()>
                    <td><a href=href>{run.hostname.clone()}</a></td>
                    <td>{format!("{} v{}", run.template_name, run.template_version)}</td>
                    <td><RunStatePill state=run.state /></td>
                    <td>{run.requested_by.clone()}</td>
                    <td><time datetime=run.created_at.clone()>{run.created_at.replace('T', " ").replace('Z', " UTC")}</time></td>
                    <td>{duration.unwrap_or_else(|| "—".into())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table" data-testid="runs">
            <thead>
                <tr>
                    <th scope="col">"Host name"</th>
                    <th scope="col">"Template"</th>
                    <th scope="col">"State"</th>
                    <th scope="col">"Started by"</th>
                    <th scope="col">"Created"</th>
                    <th scope="col">"Duration"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// A run's state as a pill; the text says it, the colour only helps.
#[component]
pub fn RunStatePill(state: RunState) -> impl IntoView {
    let tone = match state {
        RunState::Succeeded => "pill pill-good",
        RunState::Failed => "pill pill-bad",
        RunState::Queued | RunState::Running | RunState::Cancelled => "pill pill-neutral",
    };
    view! { <span class=tone data-testid="run-state" data-state=state.key()>{state.label()}</span> }
}
