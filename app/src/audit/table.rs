//! The entries of one page of the audit trail, and links to the neighbouring pages.

use berth_domain::{AuditPage, AuditQuery};
use leptos::prelude::*;

#[component]
pub fn AuditTable(page: AuditPage, query: AuditQuery) -> impl IntoView {
    if page.rows.is_empty() {
        return view! { <p class="muted" data-testid="audit-empty">"No entries match these filters."</p> }
            .into_any();
    }
    let pages = page.pages();
    let download = export_link(&query);
    let link = move |to: u32| {
        let mut pairs = vec![
            ("actor", query.actor.clone()),
            ("action", query.action.clone()),
            ("target_type", query.target_type.clone()),
            ("target_id", query.target_id.clone()),
            ("outcome", query.outcome.clone()),
            ("from", query.from.clone()),
            ("to", query.to.clone()),
        ];
        pairs.retain(|(_, v)| !v.is_empty());
        pairs.push(("page", to.to_string()));
        let encoded: Vec<String> = pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", berth_domain::url::encode_query_value(&v)))
            .collect();
        format!("/audit?{}", encoded.join("&"))
    };
    let current = page.page;
    view! {
        <div class="page-actions audit-export">
            <p class="muted" data-testid="audit-total">{format!("{} entries", page.total)}</p>
            <a class="button button-quiet" href=format!("{download}format=csv") rel="external" download="" data-testid="audit-export-csv">
                "Download CSV"
            </a>
            <a class="button button-quiet" href=format!("{download}format=json") rel="external" download="" data-testid="audit-export-json">
                "Download JSON"
            </a>
        </div>
        <table class="table" data-testid="audit-table">
            <thead>
                <tr>
                    <th scope="col">"When (UTC)"</th>
                    <th scope="col">"Who"</th>
                    <th scope="col">"Action"</th>
                    <th scope="col">"Target"</th>
                    <th scope="col">"Outcome"</th>
                    <th scope="col">"From"</th>
                    <th scope="col">"Details"</th>
                </tr>
            </thead>
            <tbody>
                {page
                    .rows
                    .into_iter()
                    .map(|row| {
                        let action = row.action.clone();
                        view! {
                            <tr data-action=action>
                                <td class="mono">{row.at}</td>
                                <td>{row.actor}</td>
                                <td class="mono">{row.action}</td>
                                <td class="mono">{row.target.unwrap_or_default()}</td>
                                <td>{row.outcome}</td>
                                <td class="mono">{row.source_ip.unwrap_or_default()}</td>
                                <td class="mono details">{row.details}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <nav class="pager" aria-label="Audit pages">
            {(current > 1).then(|| view! { <a href=link(current - 1)>"← Newer"</a> })}
            <span>{format!("Page {current} of {pages}")}</span>
            {(current < pages).then(|| view! { <a href=link(current + 1)>"Older →"</a> })}
        </nav>
    }
    .into_any()
}

/// `/audit/export?<filters>&` for the same filters (dates as midnight UTC), ready for `format=`.
fn export_link(query: &AuditQuery) -> String {
    let day = |value: &str| {
        if value.len() == 10 {
            format!("{value}T00:00:00Z")
        } else {
            value.to_string()
        }
    };
    let pairs = [
        ("actor", query.actor.clone()),
        ("action", query.action.clone()),
        ("target_type", query.target_type.clone()),
        ("target_id", query.target_id.clone()),
        ("outcome", query.outcome.clone()),
        ("from", day(&query.from)),
        ("to", day(&query.to)),
    ];
    let mut link = "/audit/export?".to_string();
    for (key, value) in pairs.into_iter().filter(|(_, v)| !v.is_empty()) {
        link.push_str(&format!(
            "{key}={}&",
            berth_domain::url::encode_query_value(&value)
        ));
    }
    link
}
