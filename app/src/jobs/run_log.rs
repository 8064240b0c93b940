//! The run's log as it grows. It follows new lines while the reader is at the bottom; after
//! scrolling up to read, it stays where the reader is.

use berth_domain::run::{LogStream, RunEvent, SequencedEvent};
use leptos::html::Div;
use leptos::prelude::*;

#[component]
pub fn RunLog(events: RwSignal<Vec<SequencedEvent>>, loaded: Signal<bool>) -> impl IntoView {
    let frame = NodeRef::<Div>::new();
    let following = RwSignal::new(true);
    let on_scroll = move |_| {
        if let Some(el) = frame.get_untracked() {
            // A few pixels of slack: a fractional scroll position is still "at the bottom".
            let bottom = el.scroll_top() + el.client_height() >= el.scroll_height() - 8;
            following.set(bottom);
        }
    };
    Effect::new(move |_| {
        events.track();
        if following.get_untracked()
            && let Some(el) = frame.get()
        {
            el.set_scroll_top(el.scroll_height());
        }
    });
    let lines = move || {
        events.with(|all| {
            all.iter()
                .filter_map(|e| {
                    line(&e.event).map(|(stream, text)| (e.seq, e.at.clone(), stream, text))
                })
                .map(|(seq, at, stream, text)| {
                    let time = at.get(11..19).unwrap_or_default().to_string();
                    view! {
                        <div class="log-line" data-stream=stream data-seq=seq>
                            <time class="log-time" datetime=at>{time}</time>
                            <span class="log-text">{text}</span>
                        </div>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="section" aria-labelledby="log-title">
            <h2 id="log-title">"Log"</h2>
            <div class="run-log" node_ref=frame on:scroll=on_scroll tabindex="0" role="log"
                aria-label="Run log" data-testid="run-log">
                {lines}
                <Show when=move || !loaded.get()>
                    <p class="muted">"Loading the log…"</p>
                </Show>
                <Show when=move || loaded.get() && events.with(Vec::is_empty)>
                    <p class="muted">"Nothing logged yet."</p>
                </Show>
            </div>
            <Show when=move || !following.get()>
                <button type="button" class="button button-quiet log-follow" on:click=move |_| {
                    following.set(true);
                    if let Some(el) = frame.get_untracked() {
                        el.set_scroll_top(el.scroll_height());
                    }
                }>"Follow the log"</button>
            </Show>
        </section>
    }
}

/// What a log line says for an event (stream, text); progress ticks say nothing.
fn line(event: &RunEvent) -> Option<(&'static str, String)> {
    Some(match event {
        RunEvent::Log { stream, line, .. } => (
            match stream {
                LogStream::Info => "info",
                LogStream::Stdout => "stdout",
                LogStream::Stderr => "stderr",
            },
            line.clone(),
        ),
        RunEvent::StageStarted { stage, attempt } => (
            "stage",
            if *attempt > 1 {
                format!("▶ {} (attempt {attempt})", stage.label())
            } else {
                format!("▶ {}", stage.label())
            },
        ),
        RunEvent::StageFinished { stage, duration_ms } => (
            "stage",
            format!(
                "✓ {} in {}",
                stage.label(),
                super::stages::duration_text(*duration_ms)
            ),
        ),
        RunEvent::StageFailed {
            stage,
            error,
            retrying,
            ..
        } => (
            "stderr",
            format!(
                "✗ {} failed: {error}{}",
                stage.label(),
                if *retrying { " — retrying" } else { "" }
            ),
        ),
        RunEvent::State { state, message } => (
            "stage",
            match message {
                Some(message) => format!("Run {}: {message}", state.label().to_lowercase()),
                None => format!("Run {}", state.label().to_lowercase()),
            },
        ),
        RunEvent::Progress { .. } => return None,
    })
}
