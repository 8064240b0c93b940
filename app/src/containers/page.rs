//! The Containers page.

use crate::components::{EmptyState, PageHeader};
use leptos::prelude::*;

#[component]
pub fn ContainersPage() -> impl IntoView {
    view! {
        <PageHeader title="Containers" lead="Every container Berth provisioned, with live status and day-to-day actions.">
            <a class="button" href="/containers/new" data-testid="new-container">"New container"</a>
        </PageHeader>
        <EmptyState title="No containers yet">
            <p>"Containers that Berth provisions from a template will be listed here with their live status."</p>
        </EmptyState>
    }
}
