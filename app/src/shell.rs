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
