//! The filter form of the Audit page: a plain GET form that rewrites the URL.

use berth_domain::AuditQuery;
use leptos::prelude::*;

#[component]
pub fn AuditFilters(query: AuditQuery) -> impl IntoView {
    let field =
        |id: &'static str, label: &'static str, value: String, placeholder: &'static str| {
            view! {
                <label for=format!("audit-{id}")>{label}</label>
                <input id=format!("audit-{id}") name=id value=value placeholder=placeholder />
            }
        };
    view! {
        <form class="filters" method="get" action="/audit" data-testid="audit-filters">
            {field("actor", "Who", query.actor.clone(), "name contains")}
            {field("action", "Action", query.action.clone(), "login or user.*")}
            {field("target_type", "Target type", query.target_type.clone(), "user")}
            {field("target_id", "Target id", query.target_id.clone(), "")}
            <label for="audit-outcome">"Outcome"</label>
            <select id="audit-outcome" name="outcome">
                {["", "success", "failure", "denied"]
                    .into_iter()
                    .map(|value| {
                        let label = if value.is_empty() { "any" } else { value };
                        view! { <option value=value selected=query.outcome == value>{label}</option> }
                    })
                    .collect_view()}
            </select>
            {field("from", "From", query.from.clone(), "2026-11-01")}
            {field("to", "Before", query.to.clone(), "2026-12-01")}
            <button type="submit" class="button">"Filter"</button>
            <a class="button button-quiet" href="/audit">"Clear"</a>
        </form>
    }
}
