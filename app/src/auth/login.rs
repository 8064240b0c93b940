//! The sign-in page: a plain HTML form posted to `/auth/login`, so it works before (or without)
//! hydration. Messages never say whether an account exists. Configured single sign-on
//! providers are listed above it as plain links to `/auth/oidc/{id}/start`.

use crate::AppError;
use crate::components::PageHeader;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A single sign-on provider as the login page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoProvider {
    pub id: String,
    pub label: String,
}

/// The configured providers: the server puts this in every request's extensions.
#[derive(Debug, Clone, Default)]
pub struct SsoProviders(pub Arc<Vec<SsoProvider>>);

/// The single sign-on providers to offer (ids and labels only), in configured order.
#[server(prefix = "/api/fn", endpoint = "sso-providers")]
pub async fn login_providers() -> Result<Vec<SsoProvider>, AppError> {
    Ok(use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<SsoProviders>().cloned())
        .map(|list| list.0.as_ref().clone())
        .unwrap_or_default())
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.with_untracked(|q| q.get(name));
    let error = match param("error").as_deref() {
        Some("throttled") => Some("Too many failed sign-ins. Try again later."),
        Some("sso") => Some("Single sign-on failed. Try again or use another way to sign in."),
        Some(_) => Some("Wrong username or password."),
        None => None,
    };
    let notice =
        (param("notice").as_deref() == Some("signed-out")).then_some("You have signed out.");
    let next = berth_domain::url::safe_next(&param("next").unwrap_or_default());
    let providers = Resource::new(|| (), |()| login_providers());
    let start_next = berth_domain::url::encode_query_value(&next);
    let sso = move || {
        let start_next = start_next.clone();
        Suspend::new(async move {
            let list = providers.await.unwrap_or_default();
            (!list.is_empty()).then(|| {
                let links = list
                    .into_iter()
                    .map(|p| {
                        let href = format!("/auth/oidc/{}/start?next={start_next}", p.id);
                        view! {
                            <li><a class="button" href=href rel="external" data-testid="sso-link">{format!("Sign in with {}", p.label)}</a></li>
                        }
                    })
                    .collect_view();
                view! { <ul class="sso-providers" data-testid="sso-providers">{links}</ul> }
            })
        })
    };

    view! {
        <div class="login">
            <PageHeader title="Sign in" lead="Sign in to manage Proxmox VE containers." />
            {notice.map(|text| view! { <p class="notice" data-testid="login-notice" role="status">{text}</p> })}
            {error.map(|text| view! { <p class="error-panel" data-testid="login-error" role="alert">{text}</p> })}
            <Suspense fallback=|| ()>{sso}</Suspense>
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
