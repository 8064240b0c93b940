//! The Admin page.

use crate::components::{EmptyState, PageHeader};
use leptos::prelude::*;

#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <PageHeader title="Admin" lead="Users, roles, Proxmox clusters and settings." />
        <EmptyState title="Nothing to administer yet">
            <p>"Users, roles, Proxmox connections and backups will be managed here."</p>
        </EmptyState>
    }
}
