//! A small coloured label for a state ("Up", "Down", "Ready"…). The colour is never the only
//! signal: the text says it too.

use leptos::prelude::*;

/// How a status should look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
    /// Neither good nor bad, e.g. "Not configured".
    Neutral,
}

#[component]
pub fn StatusPill(tone: Tone, label: &'static str) -> impl IntoView {
    let class = match tone {
        Tone::Good => "pill pill-good",
        Tone::Bad => "pill pill-bad",
        Tone::Neutral => "pill pill-neutral",
    };
    view! { <span class=class>{label}</span> }
}
