//! The Templates page.

use crate::components::{EmptyState, PageHeader};
use leptos::prelude::*;

#[component]
pub fn TemplatesPage() -> impl IntoView {
    view! {
        <PageHeader title="Templates" lead="Reusable recipes: an OS image, package buckets, files and scripts." />
        <EmptyState title="No templates yet">
            <p>"Templates describe what a container becomes. The catalog will appear here."</p>
        </EmptyState>
    }
}
