//! The Containers page.

use crate::components::{EmptyState, PageHeader};
use leptos::prelude::*;

#[component]
pub fn ContainersPage() -> impl IntoView {
    view! {
        <PageHeader title="Containers" lead="Every container Berth provisioned, with live status and day-to-day actions." />
        <EmptyState title="No containers yet">
            <p>"Containers that Berth provisions from a template will be listed here with their live status."</p>
        </EmptyState>
    }
}
