//! One dependency's check: status, latency, and why it is down.

use crate::components::{StatusPill, Tone};
use berth_domain::{DependencyCheck, DependencyStatus};
use leptos::prelude::*;

#[component]
pub fn DependencyCard(check: DependencyCheck) -> impl IntoView {
    let dependency = check.dependency;
    let tone = match check.status {
        DependencyStatus::Up => Tone::Good,
        DependencyStatus::Down => Tone::Bad,
        DependencyStatus::NotConfigured => Tone::Neutral,
    };
    let optional = (!dependency.is_essential()).then_some("optional");
    let heartbeat = check
        .heartbeat_age_seconds
        .map(|age| format!("{age:.1} s ago"));
    view! {
        <li
            class="dependency"
            data-testid=format!("dependency-{}", dependency.key())
            data-status=check.status.key()
        >
            <div class="dependency-head">
                <h3>
                    {dependency.label()}
                    {optional.map(|text| view! { <span class="badge">{text}</span> })}
                </h3>
                <StatusPill tone label=check.status.label() />
            </div>
            <dl class="dependency-facts">
                <div>
                    <dt>"Latency"</dt>
                    <dd>{format!("{:.1} ms", check.latency_ms)}</dd>
                </div>
                {check
                    .detail
                    .map(|detail| {
                        view! {
                            <div>
                                <dt>"Answered"</dt>
                                <dd>{detail}</dd>
                            </div>
                        }
                    })}
                {heartbeat
                    .map(|text| {
                        view! {
                            <div>
                                <dt>"Heartbeat"</dt>
                                <dd>{text}</dd>
                            </div>
                        }
                    })}
            </dl>
            {check.error.map(|error| view! { <p class="dependency-error">{error}</p> })}
        </li>
    }
}
