//! Hydrates the server-rendered page: the browser takes over the HTML the server sent.

// Leptos views are deeply nested types; the template form needs more than the default 128.
#![recursion_limit = "256"]

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    /// `performance.mark(name)`, bound here: this crate does not depend on web-sys.
    #[wasm_bindgen(js_namespace = performance, js_name = mark)]
    fn performance_mark(name: &str);
}

/// Called by Leptos' hydration script once the module has loaded.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes (app/src/lazy_pages.rs): hydration first waits for the page's WASM chunk, so
    // it runs as a task; the app's "hydrated" flag is raised only once it is complete.
    _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let app = leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), app::App).await;
        app.forget();
        app::components::Hydrated::finish();
        // The hydration benchmark (end2end/bench/) measures navigation start to this mark.
        performance_mark("berth-hydrated");
    });
}
