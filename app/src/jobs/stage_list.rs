//! The pipeline's stages with their state and how long each took.

use super::stages::{StageState, StageStatus, duration_text};
use leptos::prelude::*;

#[component]
pub fn StageList(stages: Signal<Vec<StageStatus>>) -> impl IntoView {
    let items = move || {
        stages
            .get()
            .into_iter()
            .map(|s| {
                let detail = match (s.state, s.duration_ms, s.percent) {
                    (StageState::Running, _, Some(percent)) => format!("{percent} %"),
                    (StageState::Running, _, None) => "running…".to_string(),
                    (_, Some(ms), _) => duration_text(ms),
                    _ => String::new(),
                };
                view! {
                    <li class="stage" data-state=s.state.key() data-testid="stage" data-stage=s.stage.key()>
                        <span class="stage-mark" aria-hidden="true">{mark(s.state)}</span>
                        <span class="stage-name">{s.stage.label()}</span>
                        <span class="stage-state">{s.state.label()}</span>
                        <span class="stage-time muted">{detail}</span>
                        {s.error.map(|error| view! { <p class="stage-error">{error}</p> })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="section" aria-labelledby="stages-title">
            <h2 id="stages-title">"Stages"</h2>
            <ol class="stage-list" data-testid="stages">{items}</ol>
        </section>
    }
}

fn mark(state: StageState) -> &'static str {
    match state {
        StageState::Pending => "○",
        StageState::Running => "◔",
        StageState::Done => "✓",
        StageState::Failed => "✗",
        StageState::Skipped => "–",
    }
}
