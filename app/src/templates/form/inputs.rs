//! Inputs: what a run asks for (or takes from the API/CI), typed and validated, so that a
//! template runs unattended.

use super::field::{CheckField, Problems, SelectField, TextField};
use super::list_actions::{ItemActions, ListAction, apply};
use super::metadata::split_list;
use berth_domain::template::{InputKind, TemplateInput, TemplateSpec};
use leptos::prelude::*;

#[component]
pub fn InputsSection(spec: RwSignal<TemplateSpec>, problems: Problems) -> impl IntoView {
    let count = Signal::derive(move || spec.with(|s| s.inputs.len()));
    let add = move |_| {
        spec.update(|s| {
            s.inputs.push(TemplateInput {
                name: String::new(),
                label: String::new(),
                kind: InputKind::String,
                required: false,
                default: None,
                choices: vec![],
                pattern: None,
            })
        })
    };
    view! {
        <fieldset class="form-section" data-testid="section-inputs">
            <legend>"Inputs"</legend>
            {move || (0..count.get()).map(|i| view! { <InputEditor spec problems index=i count /> }).collect_view()}
            <button type="button" class="button button-quiet" on:click=add data-testid="add-input">"Add an input"</button>
        </fieldset>
    }
}

#[component]
fn InputEditor(
    spec: RwSignal<TemplateSpec>,
    problems: Problems,
    index: usize,
    count: Signal<usize>,
) -> impl IntoView {
    let read = move |get: fn(&TemplateInput) -> String| {
        Signal::derive(move || spec.with(|s| s.inputs.get(index).map(get).unwrap_or_default()))
    };
    let write = move |set: fn(&mut TemplateInput, String)| {
        Callback::new(move |v: String| {
            spec.update(|s| {
                if let Some(x) = s.inputs.get_mut(index) {
                    set(x, v)
                }
            })
        })
    };
    let at = move |field: &str| format!("inputs[{index}].{field}");
    let kinds: Vec<_> = InputKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.as_str()))
        .collect();
    let kind = read(|i| i.kind.as_str().to_string());
    view! {
        <div class="list-item" data-testid="input-editor">
            <div class="list-item-head">
                <strong>{format!("Input {}", index + 1)}</strong>
                <ItemActions label=read(|i| i.name.clone()) index count
                    on_action=Callback::new(move |a: ListAction| spec.update(|s| apply(&mut s.inputs, index, a))) />
            </div>
            <div class="fields">
                <TextField label="Name" path=at("name") mono=true problems placeholder="site_name"
                    value=read(|i| i.name.clone()) on_change=write(|i, v| i.name = v.trim().to_string()) />
                <TextField label="Label" path=at("label") problems placeholder="Site name"
                    value=read(|i| i.label.clone()) on_change=write(|i, v| i.label = v) />
                <SelectField label="Type" path=at("type") options=kinds value=kind
                    on_change=write(|i, v| i.kind = InputKind::parse(&v).unwrap_or(InputKind::String)) />
                <CheckField label="Required" path=at("required")
                    value=Signal::derive(move || spec.with(|s| s.inputs.get(index).is_some_and(|i| i.required)))
                    on_change=Callback::new(move |v| spec.update(|s| if let Some(i) = s.inputs.get_mut(index) { i.required = v })) />
                <TextField label="Default" path=at("default") problems
                    value=read(|i| i.default.clone().unwrap_or_default())
                    on_change=write(|i, v| i.default = Some(v).filter(|v| !v.is_empty())) />
                <Show when=move || kind.get() == "choice">
                    <TextField label="Choices (comma-separated)" path=at("choices") problems
                        value=read(|i| i.choices.join(", ")) on_change=write(|i, v| i.choices = split_list(&v)) />
                </Show>
                <Show when=move || matches!(kind.get().as_str(), "string" | "secret")>
                    <TextField label="Pattern (regular expression)" path=at("pattern") mono=true problems
                        value=read(|i| i.pattern.clone().unwrap_or_default())
                        on_change=write(|i, v| i.pattern = Some(v).filter(|v| !v.is_empty())) />
                </Show>
            </div>
        </div>
    }
}
