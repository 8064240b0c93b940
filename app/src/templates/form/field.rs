//! The pieces every form section is made of: a labelled input bound to one part of the
//! template, and the problem message for its path.

use berth_domain::template::{FieldProblem, message_at};
use leptos::prelude::*;

/// The problems to show: the form's own (once shown) and the server's last answer.
pub type Problems = Signal<Vec<FieldProblem>>;

/// The message for `path`, if any, under the field.
#[component]
pub fn Problem(problems: Problems, path: String) -> impl IntoView {
    let id = problem_id(&path);
    let message = move || problems.with(|all| message_at(all, &path).map(str::to_string));
    view! {
        {move || message().map(|text| view! { <p class="field-problem" id=id.clone() role="alert">{text}</p> })}
    }
}

pub fn problem_id(path: &str) -> String {
    let clean: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("problem-{clean}")
}

/// A text input for `path`.
#[component]
pub fn TextField(
    label: &'static str,
    path: String,
    value: Signal<String>,
    on_change: Callback<String>,
    problems: Problems,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] disabled: bool,
    #[prop(optional)] mono: bool,
    /// Prefix of the element id, for a second form on the same page.
    #[prop(optional)]
    scope: &'static str,
    /// Two columns wide (long values such as volume ids).
    #[prop(optional)]
    wide: bool,
) -> impl IntoView {
    let id = field_id(&format!("{scope}{path}"));
    let has_problem = {
        let path = path.clone();
        move || problems.with(|all| message_at(all, &path).is_some())
    };
    view! {
        <div class="field" class:field-span=wide>
            <label for=id.clone()>{label}</label>
            <input id=id name=path.clone() class:mono=mono placeholder=placeholder disabled=disabled
                prop:value=move || value.get()
                aria-invalid=move || has_problem().then_some("true")
                aria-describedby=problem_id(&path)
                on:input=move |ev| on_change.run(event_target_value(&ev)) />
            <Problem problems path />
        </div>
    }
}

/// A number input for `path`; what does not parse becomes 0, which the rules then refuse.
#[component]
pub fn NumberField(
    label: &'static str,
    path: String,
    value: Signal<u32>,
    on_change: Callback<u32>,
    problems: Problems,
    #[prop(optional)] unit: &'static str,
) -> impl IntoView {
    let id = field_id(&path);
    view! {
        <div class="field">
            <label for=id.clone()>{label}{(!unit.is_empty()).then(|| format!(" ({unit})"))}</label>
            <input id=id name=path.clone() type="number" min="0" inputmode="numeric"
                prop:value=move || value.get().to_string()
                on:input=move |ev| on_change.run(event_target_value(&ev).trim().parse().unwrap_or(0)) />
            <Problem problems path />
        </div>
    }
}

/// A multi-line text area (file content, scripts) for `path`.
#[component]
pub fn TextArea(
    label: &'static str,
    path: String,
    value: Signal<String>,
    on_change: Callback<String>,
    problems: Problems,
    #[prop(default = 8)] rows: u32,
    #[prop(optional)] scope: &'static str,
) -> impl IntoView {
    let id = field_id(&format!("{scope}{path}"));
    view! {
        <div class="field field-wide">
            <label for=id.clone()>{label}</label>
            <textarea id=id name=path.clone() class="code" rows=rows spellcheck="false"
                prop:value=move || value.get()
                on:input=move |ev| on_change.run(event_target_value(&ev))></textarea>
            <Problem problems path />
        </div>
    }
}

/// A checkbox for `path`.
#[component]
pub fn CheckField(
    label: &'static str,
    path: String,
    value: Signal<bool>,
    on_change: Callback<bool>,
) -> impl IntoView {
    let id = field_id(&path);
    view! {
        <div class="field field-check">
            <input id=id.clone() name=path type="checkbox" prop:checked=move || value.get()
                on:change=move |ev| on_change.run(event_target_checked(&ev)) />
            <label for=id>{label}</label>
        </div>
    }
}

/// A select of fixed options for `path`.
#[component]
pub fn SelectField(
    label: &'static str,
    path: String,
    options: Vec<(&'static str, &'static str)>,
    value: Signal<String>,
    on_change: Callback<String>,
    #[prop(optional)] scope: &'static str,
) -> impl IntoView {
    let id = field_id(&format!("{scope}{path}"));
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=path on:change=move |ev| on_change.run(event_target_value(&ev))>
                {options.into_iter().map(|(key, text)| view! {
                    <option value=key selected=move || value.get() == key>{text}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// The element id of the input for `path` (Playwright and labels use it).
pub fn field_id(path: &str) -> String {
    let clean: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("tf-{}", clean.trim_matches('-').replace("--", "-"))
}
