//! The HTML document around the app: head, styles and the hydration scripts.

use crate::App;
use leptos::prelude::*;
use leptos_meta::MetaTags;

/// Built asset names (hashed by `cargo xtask`), read by the server from `build.json`.
#[derive(Clone, Debug)]
pub struct SiteAssets {
    /// The stylesheet's path below the site root, e.g. `/berth.0123abcd.css`.
    pub css_href: String,
}

pub fn shell(options: LeptosOptions, assets: SiteAssets) -> impl IntoView {
    leptos::nonce::provide_nonce();
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(value) = axum::http::HeaderValue::from_str(&content_security_policy(&nonce))
    {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href=assets.css_href />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The page's policy: only Berth's own origin; inline scripts only with this response's nonce
/// (Leptos' hydration and resource scripts carry it); WASM compilation allowed; no framing.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}
