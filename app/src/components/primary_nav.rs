//! The primary navigation. The router's links set `aria-current="page"` on the active one.

use leptos::prelude::*;
use leptos_router::components::A;

const SECTIONS: [(&str, &str); 6] = [
    ("/", "Overview"),
    ("/containers", "Containers"),
    ("/templates", "Templates"),
    ("/jobs", "Jobs"),
    ("/audit", "Audit"),
    ("/admin", "Admin"),
];

#[component]
pub fn PrimaryNav() -> impl IntoView {
    view! {
        <nav class="primary-nav" aria-label="Primary">
            <ul>
                {SECTIONS
                    .into_iter()
                    .map(|(href, label)| {
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
