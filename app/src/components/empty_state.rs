//! What a list shows when it has nothing to show, and why.

use leptos::prelude::*;

#[component]
pub fn EmptyState(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="empty-state" aria-label=title>
            <h2>{title}</h2>
            <div class="empty-state-body">{children()}</div>
        </section>
    }
}
