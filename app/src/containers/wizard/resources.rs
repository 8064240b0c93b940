//! Resources: CPU cores, memory and swap, and how the container is isolated.

use super::fields::{Kind, SpecCheck, SpecField, parse_number};
use leptos::prelude::*;

#[component]
pub fn ResourcesStep() -> impl IntoView {
    view! {
        <fieldset class="form-section" data-testid="step-resources">
            <legend>"Resources"</legend>
            <div class="fields">
                <SpecField label="Cores" path="resources.cores" kind=Kind::Number
                    read=|s| s.resources.cores.to_string()
                    write=|s, v| s.resources.cores = parse_number(&v) />
                <SpecField label="Memory (MiB)" path="resources.memory_mib" kind=Kind::Number
                    read=|s| s.resources.memory_mib.to_string()
                    write=|s, v| s.resources.memory_mib = parse_number(&v) />
                <SpecField label="Swap (MiB)" path="resources.swap_mib" kind=Kind::Number
                    read=|s| s.resources.swap_mib.to_string()
                    write=|s, v| s.resources.swap_mib = parse_number(&v) />
                <SpecCheck label="Unprivileged (recommended)" path="resources.unprivileged"
                    read=|s| s.resources.unprivileged
                    write=|s, v| s.resources.unprivileged = v />
                <SpecCheck label="Nesting (e.g. Docker inside)" path="resources.nesting"
                    read=|s| s.resources.nesting
                    write=|s, v| s.resources.nesting = v />
            </div>
        </fieldset>
    }
}
