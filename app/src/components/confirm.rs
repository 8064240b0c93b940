//! Asking before a destructive click, in the browser's own dialog. (An inline `onclick` would
//! be blocked by the Content Security Policy, which allows no inline script.)

/// Whether the user agreed; before hydration (and on the server) there is no one to ask.
pub fn confirmed(question: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        leptos::prelude::window()
            .confirm_with_message(question)
            .unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = question;
        true
    }
}
