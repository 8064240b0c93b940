//! Whether the page has hydrated. Effects never run during server rendering, so the flag is false
//! in the HTML and turns true only in a browser running the WASM: controls that need the client
//! stay disabled until then, and tests have a reliable marker.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug)]
pub struct Hydrated(ReadSignal<bool>);

impl Hydrated {
    /// Creates the flag for the whole app and puts it in context.
    pub fn provide() -> ReadSignal<bool> {
        let (hydrated, set_hydrated) = signal(false);
        Effect::new(move |_| set_hydrated.set(true));
        provide_context(Hydrated(hydrated));
        hydrated
    }

    /// The app's flag (false when used outside the app, e.g. in isolation).
    pub fn get() -> bool {
        use_context::<Hydrated>().is_some_and(|Hydrated(flag)| flag.get())
    }
}
