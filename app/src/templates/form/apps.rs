//! Apps: the web apps a built container serves, linked from a succeeded run's page.

use super::field::{CheckField, NumberField, Problems, TextField};
use super::list_actions::{ItemActions, ListAction, apply};
use berth_domain::template::{AppLink, TemplateSpec};
use leptos::prelude::*;

#[component]
pub fn AppsSection(spec: RwSignal<TemplateSpec>, problems: Problems) -> impl IntoView {
    let count = Signal::derive(move || spec.with(|s| s.apps.len()));
    let add = move |_| {
        spec.update(|s| {
            s.apps.push(AppLink {
                label: String::new(),
                port: 80,
                path: "/".into(),
                https: false,
                username: String::new(),
                password_input: String::new(),
            })
        })
    };
    view! {
        <fieldset class="form-section" data-testid="section-apps">
            <legend>"Apps"</legend>
            <p class="muted">"Linked from a run's page once it succeeds. The password is named by its secret input, never shown."</p>
            {move || (0..count.get()).map(|i| view! { <AppEditor spec problems index=i count /> }).collect_view()}
            <button type="button" class="button button-quiet" on:click=add data-testid="add-app">"Add an app"</button>
        </fieldset>
    }
}

#[component]
fn AppEditor(
    spec: RwSignal<TemplateSpec>,
    problems: Problems,
    index: usize,
    count: Signal<usize>,
) -> impl IntoView {
    let read = move |get: fn(&AppLink) -> String| {
        Signal::derive(move || spec.with(|s| s.apps.get(index).map(get).unwrap_or_default()))
    };
    let edit = move |change: &dyn Fn(&mut AppLink)| {
        spec.update(|s| {
            if let Some(app) = s.apps.get_mut(index) {
                change(app)
            }
        })
    };
    let write = move |set: fn(&mut AppLink, String)| {
        Callback::new(move |v: String| edit(&|app| set(app, v.trim().to_string())))
    };
    let at = move |field: &str| format!("apps[{index}].{field}");
    let port =
        Signal::derive(move || spec.with(|s| s.apps.get(index).map_or(0, |a| u32::from(a.port))));
    let https = Signal::derive(move || spec.with(|s| s.apps.get(index).is_some_and(|a| a.https)));
    view! {
        <div class="list-item" data-testid="app-editor">
            <div class="list-item-head">
                <strong>{format!("App {}", index + 1)}</strong>
                <ItemActions label=read(|a| a.label.clone()) index count
                    on_action=Callback::new(move |a: ListAction| spec.update(|s| apply(&mut s.apps, index, a))) />
            </div>
            <div class="fields">
                <TextField label="Label" path=at("label") problems placeholder="code-server"
                    value=read(|a| a.label.clone()) on_change=write(|a, v| a.label = v) />
                <NumberField label="Port" path=at("port") problems value=port
                    on_change=Callback::new(move |v: u32| edit(&|a| a.port = u16::try_from(v).unwrap_or(0))) />
                <TextField label="Path" path=at("path") mono=true problems placeholder="/"
                    value=read(|a| a.path.clone()) on_change=write(|a, v| a.path = v) />
                <TextField label="User name" path=at("username") problems placeholder="admin or {{dev_user}}"
                    value=read(|a| a.username.clone()) on_change=write(|a, v| a.username = v) />
                <TextField label="Password input" path=at("password_input") mono=true problems
                    placeholder="a secret input's name"
                    value=read(|a| a.password_input.clone()) on_change=write(|a, v| a.password_input = v) />
                <CheckField label="HTTPS" path=at("https") value=https
                    on_change=Callback::new(move |v: bool| edit(&|a| a.https = v)) />
            </div>
        </div>
    }
}
