//! The Audit page.

use crate::components::{EmptyState, PageHeader};
use leptos::prelude::*;

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <PageHeader title="Audit" lead="Who did what, when, from where: every change Berth made." />
        <EmptyState title="No audit entries yet">
            <p>"Every mutation will be recorded here: who, what, target, time and outcome."</p>
        </EmptyState>
    }
}
