//! The versions of a template and a line diff between any two of them. The pair is in the URL
//! (`?from=&to=`), so a diff can be linked.

use super::api::template_diff;
use crate::components::ErrorPanel;
use berth_domain::template::{DiffLine, TemplateVersionInfo};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn History(name: String, versions: Vec<TemplateVersionInfo>) -> impl IntoView {
    let params = use_query_map();
    let newest = versions.first().map(|v| v.version).unwrap_or(1);
    let number = move |key: &str, fallback: i32| {
        params.with(|p| {
            p.get(key)
                .and_then(|v| v.parse::<i32>().ok())
                .unwrap_or(fallback)
        })
    };
    let from = move || number("from", (newest - 1).max(1));
    let to = move || number("to", newest);
    let diff_name = name.clone();
    let diff = Resource::new(
        move || (from(), to()),
        move |(from, to)| template_diff(diff_name.clone(), from, to),
    );
    let rows = versions.clone();
    let select = move |id: &'static str, selected: i32| {
        view! {
            <select id=format!("diff-{id}") name=id>
                {versions.iter().map(|v| view! {
                    <option value=v.version.to_string() selected=v.version == selected>{format!("v{}", v.version)}</option>
                }).collect_view()}
            </select>
        }
    };
    view! {
        <section class="section" aria-labelledby="history-heading">
            <h2 id="history-heading">"History"</h2>
            <table class="table" data-testid="template-history">
                <thead><tr><th>"Version"</th><th>"Saved"</th><th>"By"</th><th>"Note"</th><th></th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|v| view! {
                        <tr>
                            <td>{format!("v{}", v.version)}</td>
                            <td class="mono">{v.created_at}</td>
                            <td>{if v.created_by.is_empty() { "Berth".to_string() } else { v.created_by }}</td>
                            <td>{v.note}</td>
                            <td><a href=format!("/templates/export/{name}?version={}", v.version)>"YAML"</a></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(newest > 1).then(|| view! {
                <form class="filters" method="get" data-testid="diff-form">
                    <label for="diff-from">"Compare"</label>
                    {select("from", from())}
                    <label for="diff-to">"with"</label>
                    {select("to", to())}
                    <button type="submit" class="button">"Show changes"</button>
                </form>
                <Transition fallback=|| view! { <p class="muted">"Comparing…"</p> }>
                    {move || Suspend::new(async move {
                        match diff.await {
                            Ok(lines) => view! { <Diff lines /> }.into_any(),
                            Err(error) => view! { <ErrorPanel error /> }.into_any(),
                        }
                    })}
                </Transition>
            })}
        </section>
    }
}

#[component]
fn Diff(lines: Vec<DiffLine>) -> impl IntoView {
    if lines.iter().all(|l| matches!(l, DiffLine::Same(_))) {
        return view! { <p class="muted" data-testid="template-diff">"No differences."</p> }
            .into_any();
    }
    view! {
        <pre class="diff" data-testid="template-diff">
            {lines.into_iter().map(|line| match line {
                DiffLine::Same(text) => view! { <span class="diff-same">{format!("  {text}\n")}</span> }.into_any(),
                DiffLine::Added(text) => view! { <ins class="diff-added">{format!("+ {text}\n")}</ins> }.into_any(),
                DiffLine::Removed(text) => view! { <del class="diff-removed">{format!("- {text}\n")}</del> }.into_any(),
            }).collect_view()}
        </pre>
    }
    .into_any()
}
