//! The app shell: banner with the user menu, primary navigation, and the routes of every page.

use crate::auth::{LoginPage, UserMenu, signed_in_user};
use crate::components::{Hydrated, NotFound, PrimaryNav};
use crate::lazy_pages::{
    AccountRoute, AdminRoute, AuditRoute, BucketsRoute, ContainerRoute, ContainersRoute,
    EditTemplateRoute, HomeRoute, ImportTemplateRoute, JobsRoute, NewContainerRoute,
    NewTemplateRoute, RunRoute, TemplateDetailRoute, TemplatesRoute,
};
use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::Lazy;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let hydrated = Hydrated::provide();
    // Who is signed in; resolved on the server before the page is sent (every route is Async),
    // so the shell is complete even without JavaScript.
    let me = Resource::new(|| (), |()| signed_in_user());
    let signed_in = move || {
        Suspend::new(async move {
            match me.await {
                Ok(Some(user)) => view! { <UserMenu user /> }.into_any(),
                _ => ().into_any(),
            }
        })
    };
    let nav = move || {
        Suspend::new(async move {
            match me.await {
                Ok(Some(user)) => view! { <PrimaryNav admin=user.is_admin() /> }.into_any(),
                _ => ().into_any(),
            }
        })
    };

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
                    <Suspense>{signed_in}</Suspense>
                </header>
                <div class="frame">
                    <Suspense>{nav}</Suspense>
                    <main id="main" tabindex="-1">
                        <Routes fallback=NotFound>
                            <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                            <Route path=path!("/") view={Lazy::<HomeRoute>::new()} ssr=SsrMode::Async />
                            <Route path=path!("/containers") view={Lazy::<ContainersRoute>::new()} ssr=SsrMode::Async />
                            <Route
                                path=path!("/templates")
                                view={Lazy::<TemplatesRoute>::new()}
                                ssr=SsrMode::Async
                            />
                            <Route path=path!("/templates/new") view={Lazy::<NewTemplateRoute>::new()} ssr=SsrMode::Async />
                            <Route path=path!("/templates/import") view={Lazy::<ImportTemplateRoute>::new()} ssr=SsrMode::Async />
                            <Route path=path!("/templates/buckets") view={Lazy::<BucketsRoute>::new()} ssr=SsrMode::Async />
                            <Route path=path!("/template/:name") view={Lazy::<TemplateDetailRoute>::new()} ssr=SsrMode::Async />
                            <Route path=path!("/template/:name/edit") view={Lazy::<EditTemplateRoute>::new()} ssr=SsrMode::Async />
                            <Route path=path!("/containers/new") view={Lazy::<NewContainerRoute>::new()} ssr=SsrMode::Async />
                            <Route path=path!("/containers/:vmid") view={Lazy::<ContainerRoute>::new()} ssr=SsrMode::Async />
                            <Route path=path!("/jobs") view={Lazy::<JobsRoute>::new()} ssr=SsrMode::Async />
                            <Route path=path!("/jobs/:id") view={Lazy::<RunRoute>::new()} ssr=SsrMode::Async />
                            <Route path=path!("/audit") view={Lazy::<AuditRoute>::new()} ssr=SsrMode::Async />
                            <Route path=path!("/admin") view={Lazy::<AdminRoute>::new()} ssr=SsrMode::Async />
                            <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async />
                        </Routes>
                    </main>
                </div>
            </Router>
        </div>
    }
}
