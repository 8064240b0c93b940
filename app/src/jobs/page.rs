//! The Jobs page.

use crate::components::{EmptyState, PageHeader};
use leptos::prelude::*;

#[component]
pub fn JobsPage() -> impl IntoView {
    view! {
        <PageHeader title="Jobs" lead="Provisioning runs: queued, running and finished, stage by stage." />
        <EmptyState title="No runs yet">
            <p>"Each provisioning run and its stages will be listed here."</p>
        </EmptyState>
    }
}
