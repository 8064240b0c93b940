//! Template inputs: what this template's scripts ask for, each typed as the template declares
//! it (text, number, yes/no, a choice, or a secret that is never shown back).

use super::Wizard;
use super::fields::{Field, Kind};
use berth_domain::template::{InputKind, TemplateInput};
use leptos::prelude::*;

#[component]
pub fn InputsStep() -> impl IntoView {
    let wizard = expect_context::<Wizard>();
    let declared = wizard.template.with_value(|t| t.inputs.clone());
    let body = if declared.is_empty() {
        view! { <p class="muted">"This template asks for nothing."</p> }.into_any()
    } else {
        let fields = declared
            .into_iter()
            .map(|input| view! { <InputField input /> })
            .collect_view();
        view! { <div class="fields">{fields}</div> }.into_any()
    };
    view! {
        <fieldset class="form-section" data-testid="step-inputs">
            <legend>"Template inputs"</legend>
            {body}
        </fieldset>
    }
}

#[component]
fn InputField(input: TemplateInput) -> impl IntoView {
    let spec = expect_context::<Wizard>().spec;
    let name = input.name.clone();
    let value = {
        let name = name.clone();
        Signal::derive(move || spec.with(|s| s.inputs.get(&name).unwrap_or_default().to_string()))
    };
    let on_change = {
        let name = name.clone();
        Callback::new(move |v: String| {
            spec.update(|s| {
                if v.is_empty() {
                    s.inputs.remove(&name);
                } else {
                    s.inputs.set(name.clone(), v);
                }
            })
        })
    };
    let path = format!("inputs.{name}");
    let label = if input.required {
        format!("{} (required)", input.label)
    } else {
        input.label.clone()
    };
    let choices = match input.kind {
        InputKind::Bool => vec!["true".to_string(), "false".to_string()],
        InputKind::Choice => input.choices.clone(),
        _ => Vec::new(),
    };
    let kind = if input.kind == InputKind::Secret {
        Kind::Password
    } else {
        Kind::Text
    };
    view! { <Field label path value on_change kind choices /> }
}
