//! Scripts: run in order after packages and files, each with an interpreter, a user and a
//! timeout. Inputs reach them as `BERTH_INPUT_<NAME>` environment variables.

use super::field::{NumberField, Problems, SelectField, TextArea, TextField};
use super::list_actions::{ItemActions, ListAction, apply};
use berth_domain::template::{Interpreter, TemplateScript, TemplateSpec};
use leptos::prelude::*;

#[component]
pub fn ScriptsSection(spec: RwSignal<TemplateSpec>, problems: Problems) -> impl IntoView {
    let count = Signal::derive(move || spec.with(|s| s.scripts.len()));
    let add = move |_| {
        spec.update(|s| {
            let n = s.scripts.len() + 1;
            s.scripts.push(TemplateScript {
                name: format!("step {n}"),
                interpreter: Interpreter::Bash,
                run_as: "root".into(),
                timeout_secs: 600,
                content: String::new(),
            })
        })
    };
    view! {
        <fieldset class="form-section" data-testid="section-scripts">
            <legend>"Scripts"</legend>
            <p class="muted">"Run in this order. Inputs are in the environment as BERTH_INPUT_<NAME>."</p>
            {move || (0..count.get()).map(|i| view! { <ScriptEditor spec problems index=i count /> }).collect_view()}
            <button type="button" class="button button-quiet" on:click=add data-testid="add-script">"Add a script"</button>
        </fieldset>
    }
}

#[component]
fn ScriptEditor(
    spec: RwSignal<TemplateSpec>,
    problems: Problems,
    index: usize,
    count: Signal<usize>,
) -> impl IntoView {
    let read = move |get: fn(&TemplateScript) -> String| {
        Signal::derive(move || spec.with(|s| s.scripts.get(index).map(get).unwrap_or_default()))
    };
    let write = move |set: fn(&mut TemplateScript, String)| {
        Callback::new(move |v: String| {
            spec.update(|s| {
                if let Some(x) = s.scripts.get_mut(index) {
                    set(x, v)
                }
            })
        })
    };
    let at = move |field: &str| format!("scripts[{index}].{field}");
    let label = read(|s| s.name.clone());
    let interpreters: Vec<_> = Interpreter::ALL
        .iter()
        .map(|i| (i.as_str(), i.as_str()))
        .collect();
    view! {
        <div class="list-item" data-testid="script-editor">
            <div class="list-item-head">
                <strong>{format!("Script {}", index + 1)}</strong>
                <ItemActions label index count on_action=Callback::new(move |a: ListAction| spec.update(|s| apply(&mut s.scripts, index, a))) />
            </div>
            <div class="fields">
                <TextField label="Name" path=at("name") problems value=read(|s| s.name.clone()) on_change=write(|s, v| s.name = v) />
                <SelectField label="Interpreter" path=at("interpreter") options=interpreters
                    value=read(|s| s.interpreter.as_str().to_string())
                    on_change=write(|s, v| s.interpreter = Interpreter::parse(&v).unwrap_or(Interpreter::Bash)) />
                <TextField label="Run as" path=at("run_as") mono=true problems value=read(|s| s.run_as.clone())
                    on_change=write(|s, v| s.run_as = v.trim().to_string()) />
                <NumberField label="Timeout" unit="s" path=at("timeout_secs") problems
                    value=Signal::derive(move || spec.with(|s| s.scripts.get(index).map(|x| x.timeout_secs).unwrap_or_default()))
                    on_change=Callback::new(move |v| spec.update(|s| if let Some(x) = s.scripts.get_mut(index) { x.timeout_secs = v })) />
            </div>
            <TextArea label="Script" path=at("content") rows=10 problems value=read(|s| s.content.clone()) on_change=write(|s, v| s.content = v) />
        </div>
    }
}
