//! The wizard's inputs: labelled, marked invalid with their message linked by
//! `aria-describedby`, and bound to one part of the spec. A field that edits a list as text
//! (tags, keys, DNS servers) also shows its items' problems (`identity.tags[2]`).

use super::Wizard;
use crate::templates::form::field::{field_id, problem_id};
use berth_domain::container::ContainerSpec;
use berth_domain::template::FieldProblem;
use leptos::prelude::*;

/// The problems shown at `path`: its own, then its items' as "Item N: …".
fn messages(problems: &[FieldProblem], path: &str) -> Vec<String> {
    problems
        .iter()
        .filter_map(|p| {
            if p.path == path {
                return Some(p.message.clone());
            }
            let index = p.path.strip_prefix(path)?.strip_prefix('[')?;
            let (n, _) = index.split_once(']')?;
            let n: usize = n.parse().ok()?;
            Some(format!("Item {}: {}", n + 1, p.message))
        })
        .collect()
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Kind {
    #[default]
    Text,
    Number,
    Password,
    /// One item per line.
    Lines,
}

/// A text input (or text area, or a select of `choices`) for `path`.
#[component]
pub fn Field(
    #[prop(into)] label: String,
    path: String,
    value: Signal<String>,
    on_change: Callback<String>,
    #[prop(optional)] kind: Kind,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] mono: bool,
    /// Offered values, as a select whose first option is `(not set)`; none: typed text.
    #[prop(optional)]
    choices: Vec<String>,
) -> impl IntoView {
    let wizard = expect_context::<Wizard>();
    let id = field_id(&path);
    let problem = problem_id(&path);
    let hint_id = format!("{id}-hint");
    let shown = {
        let path = path.clone();
        Memo::new(move |_| wizard.problems.with(|all| messages(all, &path)))
    };
    let invalid = move || shown.with(|m| !m.is_empty()).then_some("true");
    let described = {
        let (problem, hint_id) = (problem.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if !hint.is_empty() {
                ids.push(hint_id.clone());
            }
            if shown.with(|m| !m.is_empty()) {
                ids.push(problem.clone());
            }
            ids.join(" ")
        }
    };
    let input = match (kind, choices.is_empty()) {
        (_, false) => view! {
            <select id=id.clone() name=path.clone() aria-invalid=invalid aria-describedby=described
                on:change=move |ev| on_change.run(event_target_value(&ev))>
                <option value="" selected=move || value.with(String::is_empty)>"(not set)"</option>
                {choices.into_iter().map(|c| {
                    let shown = c.clone();
                    view! { <option value=c.clone() selected=move || value.get() == c>{shown}</option> }
                }).collect_view()}
            </select>
        }
        .into_any(),
        (Kind::Lines, true) => view! {
            <textarea id=id.clone() name=path.clone() class="code" rows="4" spellcheck="false"
                placeholder=placeholder aria-invalid=invalid aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| on_change.run(event_target_value(&ev))></textarea>
        }
        .into_any(),
        (_, true) => {
            let (kind_attr, mode, autocomplete) = match kind {
                Kind::Number => ("text", "numeric", "off"),
                Kind::Password => ("password", "text", "new-password"),
                _ => ("text", "text", "off"),
            };
            view! {
                <input id=id.clone() name=path.clone() type=kind_attr inputmode=mode autocomplete=autocomplete
                    class:mono=mono placeholder=placeholder aria-invalid=invalid aria-describedby=described
                    prop:value=move || value.get()
                    on:input=move |ev| on_change.run(event_target_value(&ev)) />
            }
            .into_any()
        }
    };
    view! {
        <div class="field" class:field-wide=kind == Kind::Lines>
            <label for=id>{label}</label>
            {input}
            {(!hint.is_empty()).then(|| view! { <p class="field-hint" id=hint_id>{hint}</p> })}
            <Show when=move || shown.with(|m| !m.is_empty())>
                <p class="field-problem" id=problem.clone() role="alert">
                    {move || shown.get().join(" · ")}
                </p>
            </Show>
        </div>
    }
}

/// A [`Field`] reading and writing one part of the wizard's spec.
#[component]
pub fn SpecField(
    label: &'static str,
    path: &'static str,
    read: fn(&ContainerSpec) -> String,
    write: fn(&mut ContainerSpec, String),
    #[prop(optional)] kind: Kind,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] mono: bool,
) -> impl IntoView {
    let wizard = expect_context::<Wizard>();
    let spec = wizard.spec;
    view! {
        <Field label path=path.to_string() kind hint placeholder mono
            value=Signal::derive(move || spec.with(read))
            on_change=Callback::new(move |v: String| spec.update(|s| write(s, v))) />
    }
}

/// A checkbox bound to one flag of the spec.
#[component]
pub fn SpecCheck(
    label: &'static str,
    path: &'static str,
    read: fn(&ContainerSpec) -> bool,
    write: fn(&mut ContainerSpec, bool),
) -> impl IntoView {
    let wizard = expect_context::<Wizard>();
    let spec = wizard.spec;
    let id = field_id(path);
    let problem = problem_id(path);
    let shown = Memo::new(move |_| wizard.problems.with(|all| messages(all, path)));
    view! {
        <div class="field field-check">
            <input id=id.clone() name=path type="checkbox" prop:checked=move || spec.with(read)
                aria-invalid=move || shown.with(|m| !m.is_empty()).then_some("true")
                aria-describedby=problem.clone()
                on:change=move |ev| spec.update(|s| write(s, event_target_checked(&ev))) />
            <label for=id>{label}</label>
            <Show when=move || shown.with(|m| !m.is_empty())>
                <p class="field-problem" id=problem.clone() role="alert">{move || shown.get().join(" · ")}</p>
            </Show>
        </div>
    }
}

/// Items typed one per line or separated by commas or spaces, empty ones dropped.
pub fn split_items(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A number as typed; what does not parse becomes 0, which the rules then refuse at the field.
pub fn parse_number<T: std::str::FromStr + Default>(text: &str) -> T {
    text.trim().parse().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_fields_show_their_items_problems() {
        let problem = |path: &str, message: &str| FieldProblem {
            path: path.into(),
            message: message.into(),
        };
        let all = [
            problem("identity.tags", "has more than 20 tags"),
            problem("identity.tags[1]", "is not a tag"),
            problem("identity.tagsx", "other"),
            problem("identity.hostname", "other"),
        ];
        assert_eq!(
            messages(&all, "identity.tags"),
            ["has more than 20 tags", "Item 2: is not a tag"]
        );
        assert_eq!(split_items("a, b\nc  d,"), ["a", "b", "c", "d"]);
        assert_eq!(parse_number::<u32>(" 12 "), 12);
        assert_eq!(parse_number::<u32>("12x"), 0);
    }
}
