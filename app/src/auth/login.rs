//! The sign-in page: a plain HTML form posted to `/auth/login`, so it works before (or without)
//! hydration. Messages never say whether an account exists.

use crate::components::PageHeader;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.with_untracked(|q| q.get(name));
    let error = match param("error").as_deref() {
        Some("throttled") => Some("Too many failed sign-ins. Try again later."),
        Some(_) => Some("Wrong username or password."),
        None => None,
    };
    let notice =
        (param("notice").as_deref() == Some("signed-out")).then_some("You have signed out.");
    let next = param("next")
        .filter(|next| next.starts_with('/') && !next.starts_with("//"))
        .unwrap_or_else(|| "/".to_string());

    view! {
        <div class="login">
            <PageHeader title="Sign in" lead="Sign in to manage Proxmox VE containers." />
            {notice.map(|text| view! { <p class="notice" data-testid="login-notice" role="status">{text}</p> })}
            {error.map(|text| view! { <p class="error-panel" data-testid="login-error" role="alert">{text}</p> })}
            <form class="login-form" data-testid="login-form" method="post" action="/auth/login">
                <input type="hidden" name="next" value=next />
                <label for="login-username">"Username"</label>
                <input id="login-username" name="username" type="text" autocomplete="username" required autofocus />
                <label for="login-password">"Password"</label>
                <input id="login-password" name="password" type="password" autocomplete="current-password" required />
                <button type="submit" class="button">"Sign in"</button>
            </form>
        </div>
    }
}
