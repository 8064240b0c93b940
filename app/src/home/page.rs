//! The overview page: the readiness of every dependency, with a refresh that needs the client.

use super::api::get_readiness;
use super::backup_card::BackupCard;
use super::dependency_card::DependencyCard;
use crate::components::{ErrorPanel, Hydrated, PageHeader, StatusPill, Tone};
use berth_domain::Readiness;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let readiness = Resource::new(|| (), |()| get_readiness());
    let refresh = move |_| readiness.refetch();

    view! {
        <PageHeader
            title="System status"
            lead="Whether Berth can reach everything it needs to provision and manage containers."
        >
            <button
                type="button"
                class="button"
                data-testid="refresh-readiness"
                disabled=move || !Hydrated::get()
                on:click=refresh
            >
                "Refresh"
            </button>
        </PageHeader>
        <Transition fallback=|| view! { <p class="muted">"Checking dependencies…"</p> }>
            {move || Suspend::new(async move {
                match readiness.await {
                    Ok(report) => view! { <ReadinessReport report /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ReadinessReport(report: Readiness) -> impl IntoView {
    let ready = report.is_ready();
    let (tone, label, status, summary) = if ready {
        (Tone::Good, "Ready", "ready", "Every dependency answers.")
    } else {
        (
            Tone::Bad,
            "Degraded",
            "degraded",
            "Some dependencies are down; see below.",
        )
    };
    view! {
        <section class="readiness" aria-labelledby="readiness-heading">
            <div class="readiness-summary" data-testid="readiness-overall" data-status=status>
                <h2 id="readiness-heading">"Readiness"</h2>
                <StatusPill tone label />
                <p>{summary}</p>
                <p class="muted">
                    "Checked at "
                    <time datetime=report.checked_at.clone() data-testid="readiness-checked-at">
                        {report.checked_at.clone()}
                    </time>
                </p>
            </div>
            <ul class="dependency-list" data-testid="dependency-list">
                {report
                    .checks
                    .into_iter()
                    .map(|check| view! { <DependencyCard check /> })
                    .collect_view()}
            </ul>
            <BackupCard backup=report.backup />
        </section>
    }
}
