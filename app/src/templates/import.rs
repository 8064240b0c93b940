//! Import a template from its YAML file: paste it or pick the file; every problem is listed
//! with its path in the file, and nothing is saved unless all is well.

use super::api::ImportTemplate;
use crate::AppError;
use crate::components::{ErrorPanel, PageHeader};
use leptos::prelude::*;

#[component]
pub fn ImportTemplatePage() -> impl IntoView {
    let import = ServerAction::<ImportTemplate>::new();
    let yaml = RwSignal::new(String::new());
    view! {
        <PageHeader title="Import a template" lead="A template file exported from Berth (berth: template/v1). An existing template gets a new version." />
        <form class="template-form" data-testid="import-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            import.dispatch(ImportTemplate { yaml: yaml.get_untracked() });
        }>
            <div class="field field-wide">
                <label for="import-file">"File"</label>
                <input id="import-file" type="file" accept=".yaml,.yml,application/yaml,text/yaml" on:change=move |ev| read_file(ev, yaml) />
            </div>
            <div class="field field-wide">
                <label for="import-yaml">"or paste the YAML"</label>
                <textarea id="import-yaml" name="yaml" class="code" rows="18" spellcheck="false"
                    prop:value=move || yaml.get() on:input=move |ev| yaml.set(event_target_value(&ev))></textarea>
            </div>
            <div class="form-actions">
                <button type="submit" class="button" disabled=move || import.pending().get() || yaml.with(|y| y.trim().is_empty())
                    data-testid="import-submit">"Import"</button>
            </div>
        </form>
        {move || match import.value().get() {
            Some(Ok(done)) => view! {
                <p class="notice" role="status" data-testid="import-done">
                    {format!("{} {} as version {}.", if done.created { "Created" } else { "Updated" }, done.name, done.version)}
                    {(!done.created_buckets.is_empty()).then(|| format!(" New buckets: {}.", done.created_buckets.join(", ")))}
                    " "<a href=format!("/template/{}", done.name)>"Open it"</a>
                </p>
            }.into_any(),
            Some(Err(AppError::Problems(problems))) => view! {
                <div class="error-panel" role="alert" data-testid="import-problems">
                    <p>{format!("Nothing was imported; the file has {} problem(s):", problems.len())}</p>
                    <ul>{problems.into_iter().map(|p| view! {
                        <li><span class="mono">{if p.path.is_empty() { "(file)".to_string() } else { p.path }}</span>": "{p.message}</li>
                    }).collect_view()}</ul>
                </div>
            }.into_any(),
            Some(Err(error)) => view! { <ErrorPanel error /> }.into_any(),
            None => ().into_any(),
        }}
    }
}

/// Puts the chosen file's text into the text area (in the browser; there is no file before).
fn read_file(ev: leptos::ev::Event, yaml: RwSignal<String>) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            leptos::task::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                if let Some(text) = text.ok().and_then(|t| t.as_string()) {
                    yaml.set(text);
                }
            });
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, yaml);
}
