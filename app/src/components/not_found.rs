//! The page for an unknown path; the server answers it with 404.

use crate::components::PageHeader;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <PageHeader title="Page not found" lead="There is nothing at this address." />
        <p>
            <a href="/">"Go to the overview"</a>
        </p>
    }
}
