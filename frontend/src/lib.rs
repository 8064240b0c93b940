//! Hydrates the server-rendered page: the browser takes over the HTML the server sent.

// Leptos views are deeply nested types; the template form needs more than the default 128.
#![recursion_limit = "256"]

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by Leptos' hydration script once the module has loaded.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
