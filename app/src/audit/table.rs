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
            .map(|(k, v)| format!("{k}={}", urlencoding(&v)))
            .collect();
        format!("/audit?{}", encoded.join("&"))
    };
    let current = page.page;
    view! {
        <p class="muted" data-testid="audit-total">{format!("{} entries", page.total)}</p>
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

fn urlencoding(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
