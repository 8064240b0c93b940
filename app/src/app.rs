//! The app shell: banner, primary navigation, and the routes of every page.

use crate::components::{Hydrated, NotFound, PrimaryNav};
use crate::{admin, audit, containers, home, jobs, templates};
use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let hydrated = Hydrated::provide();

    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Berth".to_string() } else { format!("{page} · Berth") }
        } />
        <div id="berth" data-hydrated=move || hydrated.get().to_string()>
            <a class="skip-link" href="#main">
                "Skip to content"
            </a>
            <Router>
                <header class="banner">
                    <a class="brand" href="/">
                        <span class="brand-mark" aria-hidden="true">
                            "⚓"
                        </span>
                        "Berth"
                    </a>
                    <span class="tagline">"Proxmox VE containers from templates"</span>
                </header>
                <div class="frame">
                    <PrimaryNav />
                    <main id="main" tabindex="-1">
                        <Routes fallback=NotFound>
                            // Rendered whole before sending: the status must show even without JavaScript.
                            <Route path=path!("/") view=home::HomePage ssr=SsrMode::Async />
                            <Route path=path!("/containers") view=containers::ContainersPage />
                            <Route path=path!("/templates") view=templates::TemplatesPage />
                            <Route path=path!("/jobs") view=jobs::JobsPage />
                            <Route path=path!("/audit") view=audit::AuditPage />
                            <Route path=path!("/admin") view=admin::AdminPage />
                        </Routes>
                    </main>
                </div>
            </Router>
        </div>
    }
}
