//! The primary navigation. The router's links set `aria-current="page"` on the active one.

use leptos::prelude::*;
use leptos_router::components::A;

/// (path, label, admins only). Hiding a link is a courtesy; the server enforces every rule.
const SECTIONS: [(&str, &str, bool); 6] = [
    ("/", "Overview", false),
    ("/containers", "Containers", false),
    ("/templates", "Templates", false),
    ("/jobs", "Jobs", false),
    ("/audit", "Audit", true),
    ("/admin", "Admin", true),
];

#[component]
pub fn PrimaryNav(admin: bool) -> impl IntoView {
    view! {
        <nav class="primary-nav" aria-label="Primary">
            <ul>
                {SECTIONS
                    .into_iter()
                    .filter(|(_, _, admin_only)| admin || !admin_only)
                    .map(|(href, label, _)| {
                        view! {
                            <li>
                                <A href=href exact=true>
                                    {label}
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
