//! Metadata: the name (fixed once saved), title, description, icon, category and tags.

use super::field::{Problem, Problems, SelectField, TextArea, TextField};
use berth_domain::template::{ICONS, TemplateSpec};
use leptos::prelude::*;

#[component]
pub fn MetadataSection(
    spec: RwSignal<TemplateSpec>,
    problems: Problems,
    editing: bool,
) -> impl IntoView {
    let text = move |read: fn(&TemplateSpec) -> String| Signal::derive(move || spec.with(read));
    let mut icons: Vec<(&'static str, &'static str)> = vec![("", "none")];
    icons.extend(ICONS.iter().map(|i| (*i, *i)));
    view! {
        <fieldset class="form-section" data-testid="section-metadata">
            <legend>"Metadata"</legend>
            <div class="fields">
                <TextField label="Name (slug)" path="name".into() mono=true disabled=editing
                    placeholder="web-server" problems
                    value=text(|s| s.name.clone())
                    on_change=Callback::new(move |v: String| spec.update(|s| s.name = v.trim().to_string())) />
                <TextField label="Title" path="title".into() problems placeholder="Web server"
                    value=text(|s| s.title.clone())
                    on_change=Callback::new(move |v| spec.update(|s| s.title = v)) />
                <SelectField label="Icon" path="icon".into() options=icons
                    value=text(|s| s.icon.clone())
                    on_change=Callback::new(move |v| spec.update(|s| s.icon = v)) />
                <TextField label="Category" path="category".into() problems placeholder="web"
                    value=text(|s| s.category.clone())
                    on_change=Callback::new(move |v: String| spec.update(|s| s.category = v.trim().to_string())) />
                <TextField label="Tags (comma-separated)" path="tags".into() problems placeholder="nginx, debian"
                    value=text(|s| s.tags.join(", "))
                    on_change=Callback::new(move |v: String| spec.update(|s| s.tags = split_list(&v))) />
                <Problem problems path="tags[0]".into() />
            </div>
            <TextArea label="Description" path="description".into() rows=3 problems
                value=text(|s| s.description.clone())
                on_change=Callback::new(move |v| spec.update(|s| s.description = v)) />
        </fieldset>
    }
}

/// `a, b ,c` → `["a", "b", "c"]`, empty entries dropped.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}
