//! Pages whose code the browser loads only when they are visited (Leptos lazy routes, split
//! into their own WASM chunks by `cargo xtask`): the first load carries the shell and sign-in,
//! and stays inside the bundle budget however many pages are added.
//!
//! A page here still renders whole on the server; in the browser the router fetches its chunk
//! (preloaded for the page the server rendered) before the page hydrates or is navigated to.

use crate::{account, admin, audit, containers, home, jobs, templates};
use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

/// A route whose view is the page component, loaded lazily; its data loads inside the page.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $page:path) => {
        $(#[$doc])*
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    };
}

lazy_page!(
    /// `/`: the overview (readiness of every dependency).
    HomeRoute => home::HomePage
);
lazy_page!(
    /// `/templates`: the catalog with its filters.
    TemplatesRoute => templates::TemplatesPage
);
lazy_page!(
    /// `/templates/new`: the template form.
    NewTemplateRoute => templates::NewTemplatePage
);
lazy_page!(
    /// `/templates/import`: pasting or uploading a template document.
    ImportTemplateRoute => templates::ImportTemplatePage
);
lazy_page!(
    /// `/templates/buckets`: package buckets.
    BucketsRoute => templates::BucketsPage
);
lazy_page!(
    /// `/template/:name`: one template, its versions and diffs.
    TemplateDetailRoute => templates::TemplateDetailPage
);
lazy_page!(
    /// `/template/:name/edit`: the template form on an existing template.
    EditTemplateRoute => templates::EditTemplatePage
);
lazy_page!(
    /// `/audit`: the audit log (admins).
    AuditRoute => audit::AuditPage
);
lazy_page!(
    /// `/admin`: users and roles (admins).
    AdminRoute => admin::AdminPage
);
lazy_page!(
    /// `/account`: password, sessions and API tokens.
    AccountRoute => account::AccountPage
);
lazy_page!(
    /// `/containers`: the live list with its actions.
    ContainersRoute => containers::ContainersPage
);
lazy_page!(
    /// `/containers/:vmid`: one container with its graphs and snapshots.
    ContainerRoute => containers::ContainerPage
);
lazy_page!(
    /// `/containers/new`: the wizard that creates a container from a template.
    NewContainerRoute => containers::NewContainerPage
);
lazy_page!(
    /// `/jobs`: every provisioning run.
    JobsRoute => jobs::JobsPage
);
lazy_page!(
    /// `/jobs/:id`: one run's progress, stage by stage, with its live log.
    RunRoute => jobs::RunPage
);
