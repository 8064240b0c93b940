//! Whether the page has hydrated. The flag is false in the server's HTML and turns true only in a
//! browser running the WASM once the whole page — including a lazily loaded route's chunk — has
//! hydrated: controls that need the client stay disabled until then, and tests have a reliable
//! marker. (An `Effect` in the app would fire before a lazy route has hydrated, and text typed
//! in that moment would be lost to the page's signals.)

use leptos::prelude::*;

#[derive(Clone, Copy, Debug)]
pub struct Hydrated(ReadSignal<bool>);

#[cfg(feature = "hydrate")]
thread_local! {
    /// The setter of the flag of the app being hydrated (the browser runs one app per page).
    static FINISH: std::cell::Cell<Option<WriteSignal<bool>>> = const { std::cell::Cell::new(None) };
}

impl Hydrated {
    /// Creates the flag for the whole app and puts it in context.
    pub fn provide() -> ReadSignal<bool> {
        let (hydrated, set_hydrated) = signal(false);
        // Only the browser ever raises it; the server renders `false` and keeps no setter.
        #[cfg(feature = "hydrate")]
        FINISH.with(|finish| finish.set(Some(set_hydrated)));
        #[cfg(not(feature = "hydrate"))]
        let _ = set_hydrated;
        provide_context(Hydrated(hydrated));
        hydrated
    }

    /// Called by the hydrate entry point once hydration, lazy routes included, has completed.
    #[cfg(feature = "hydrate")]
    pub fn finish() {
        if let Some(set) = FINISH.with(std::cell::Cell::get) {
            set.set(true);
        }
    }

    /// The app's flag (false when used outside the app, e.g. in isolation).
    pub fn get() -> bool {
        use_context::<Hydrated>().is_some_and(|Hydrated(flag)| flag.get())
    }
}
