//! Files: each with its path, mode, owner and text (which may use `{{input}}`).

use super::field::{Problems, TextArea, TextField};
use super::list_actions::{ItemActions, ListAction, apply};
use berth_domain::template::{TemplateFile, TemplateSpec};
use leptos::prelude::*;

#[component]
pub fn FilesSection(spec: RwSignal<TemplateSpec>, problems: Problems) -> impl IntoView {
    let count = Signal::derive(move || spec.with(|s| s.files.len()));
    let add = move |_| {
        spec.update(|s| {
            s.files.push(TemplateFile {
                path: String::new(),
                mode: "0644".into(),
                owner: "root:root".into(),
                content: String::new(),
            })
        })
    };
    view! {
        <fieldset class="form-section" data-testid="section-files">
            <legend>"Files"</legend>
            <p class="muted">"Written after the packages are installed. Use {{name}} to insert an input's value."</p>
            {move || (0..count.get()).map(|i| view! { <FileEditor spec problems index=i count /> }).collect_view()}
            <button type="button" class="button button-quiet" on:click=add data-testid="add-file">"Add a file"</button>
        </fieldset>
    }
}

#[component]
fn FileEditor(
    spec: RwSignal<TemplateSpec>,
    problems: Problems,
    index: usize,
    count: Signal<usize>,
) -> impl IntoView {
    let read = move |get: fn(&TemplateFile) -> String| {
        Signal::derive(move || spec.with(|s| s.files.get(index).map(get).unwrap_or_default()))
    };
    let write = move |set: fn(&mut TemplateFile, String)| {
        Callback::new(move |v: String| {
            spec.update(|s| {
                if let Some(f) = s.files.get_mut(index) {
                    set(f, v)
                }
            })
        })
    };
    let at = move |field: &str| format!("files[{index}].{field}");
    let label = Signal::derive(move || {
        spec.with(|s| {
            s.files
                .get(index)
                .map(|f| f.path.clone())
                .unwrap_or_default()
        })
    });
    view! {
        <div class="list-item" data-testid="file-editor">
            <div class="list-item-head">
                <strong>{format!("File {}", index + 1)}</strong>
                <ItemActions label index count on_action=Callback::new(move |a: ListAction| spec.update(|s| apply(&mut s.files, index, a))) />
            </div>
            <div class="fields">
                <TextField label="Path" path=at("path") mono=true problems placeholder="/etc/motd"
                    value=read(|f| f.path.clone()) on_change=write(|f, v| f.path = v.trim().to_string()) />
                <TextField label="Mode" path=at("mode") mono=true problems placeholder="0644"
                    value=read(|f| f.mode.clone()) on_change=write(|f, v| f.mode = v.trim().to_string()) />
                <TextField label="Owner" path=at("owner") mono=true problems placeholder="root:root"
                    value=read(|f| f.owner.clone()) on_change=write(|f, v| f.owner = v.trim().to_string()) />
            </div>
            <TextArea label="Content" path=at("content") problems
                value=read(|f| f.content.clone()) on_change=write(|f, v| f.content = v) />
        </div>
    }
}
