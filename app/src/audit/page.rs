//! The Audit page. Filters live in the URL (a GET form), so a filtered view can be bookmarked,
//! shared, and used without WASM.

use super::api::list_audit;
use super::filters::AuditFilters;
use super::table::AuditTable;
use crate::components::{ErrorPanel, PageHeader};
use berth_domain::AuditQuery;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|q| {
            let get = |name: &str| q.get(name).unwrap_or_default();
            AuditQuery {
                actor: get("actor"),
                action: get("action"),
                target_type: get("target_type"),
                target_id: get("target_id"),
                outcome: get("outcome"),
                from: get("from"),
                to: get("to"),
                page: get("page").parse().unwrap_or(1),
            }
        })
    });
    let entries = Resource::new(move || query.get(), list_audit);

    view! {
        <PageHeader title="Audit" lead="Who did what, when, from where: every change Berth made." />
        <AuditFilters query=query.get_untracked() />
        <Transition fallback=|| view! { <p class="muted">"Loading the audit trail…"</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(page) => view! { <AuditTable page query=query.get_untracked() /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
