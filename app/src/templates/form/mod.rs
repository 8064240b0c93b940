//! The template form: one section per concern, the same rules as the server checked as you
//! type (after the first save attempt), the server's answer shown at each field, and a warning
//! before leaving with unsaved changes.

mod apps;
pub mod field;
mod files;
mod inputs;
mod list_actions;
mod metadata;
mod packages;
mod resources;
mod scripts;

use crate::AppError;
use crate::components::ErrorPanel;
use crate::templates::api::{SaveTemplate, list_buckets};
use apps::AppsSection;
use berth_domain::template::{FieldProblem, TemplateSpec};
use files::FilesSection;
use inputs::InputsSection;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use metadata::MetadataSection;
use packages::PackagesSection;
use resources::ResourcesSection;
use scripts::ScriptsSection;

#[component]
pub fn TemplateForm(initial: TemplateSpec, base_version: Option<i32>) -> impl IntoView {
    let editing = base_version.is_some();
    let spec = RwSignal::new(initial.clone());
    let saved = RwSignal::new(initial);
    let note = RwSignal::new(String::new());
    let tried = RwSignal::new(editing);
    let save = ServerAction::<SaveTemplate>::new();
    let buckets = Resource::new(|| (), |_| list_buckets());
    let own = Memo::new(move |_| spec.with(|s| s.validate().err().unwrap_or_default()));
    let problems: field::Problems = Signal::derive(move || {
        let mut all: Vec<FieldProblem> = if tried.get() { own.get() } else { Vec::new() };
        if let Some(Err(AppError::Problems(found))) = save.value().get() {
            all.extend(found.into_iter().filter(|p| !own.with(|o| o.contains(p))));
        }
        all
    });
    let dirty = Memo::new(move |_| spec.with(|s| saved.with(|v| s != v)));
    warn_before_leaving(dirty);

    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            let name = spec.with_untracked(|s| s.name.clone());
            saved.set(spec.get_untracked());
            navigate(&format!("/template/{name}"), Default::default());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        if own.with_untracked(Vec::is_empty) {
            save.dispatch(SaveTemplate {
                spec: spec.get_untracked(),
                base_version,
                note: note.get_untracked(),
            });
        }
    };
    let other_error = move || match save.value().get() {
        Some(Err(AppError::Problems(_))) | None | Some(Ok(_)) => None,
        Some(Err(error)) => Some(error),
    };
    view! {
        <form class="template-form" on:submit=submit novalidate data-testid="template-form">
            <Show when=move || !problems.with(Vec::is_empty)>
                <div class="error-panel" role="alert" data-testid="form-problems">
                    <p>"The template cannot be saved yet:"</p>
                    <ul>{move || problems.get().into_iter().map(|p| view! { <li class="mono">{p.to_string()}</li> }).collect_view()}</ul>
                </div>
            </Show>
            // Each section's view type is erased: together they are too deep for the compiler.
            {view! { <MetadataSection spec problems editing /> }.into_any()}
            {view! { <ResourcesSection spec problems /> }.into_any()}
            {view! { <PackagesSection spec problems buckets /> }.into_any()}
            {view! { <FilesSection spec problems /> }.into_any()}
            {view! { <ScriptsSection spec problems /> }.into_any()}
            {view! { <InputsSection spec problems /> }.into_any()}
            {view! { <AppsSection spec problems /> }.into_any()}
            {move || other_error().map(|error| view! { <ErrorPanel error /> })}
            <div class="form-actions sticky-actions">
                <label for="save-note">"Note for the history"</label>
                <input id="save-note" placeholder=if editing { "what changed" } else { "first version" }
                    prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                <button type="submit" class="button" disabled=move || save.pending().get() data-testid="save-template">
                    {if editing { "Save new version" } else { "Create template" }}
                </button>
                <Show when=move || dirty.get()>
                    <span class="pill pill-neutral" data-testid="unsaved">"Unsaved changes"</span>
                </Show>
            </div>
        </form>
    }
}

/// While `dirty`, asks before the page is left: the browser's own prompt for a reload, a closed
/// tab or a typed URL, and a confirmation for a link inside Berth (which the router would
/// otherwise follow without unloading the page).
fn warn_before_leaving(dirty: Memo<bool>) {
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::beforeunload, move |ev| {
            if dirty.get_untracked() {
                ev.prevent_default();
                ev.set_return_value("You have unsaved changes.");
            }
        });
        on_cleanup(move || handle.remove());
        guard_links(dirty);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = dirty;
}

/// A click on a link, caught before the router sees it (capture phase on the document).
#[cfg(feature = "hydrate")]
fn guard_links(dirty: Memo<bool>) {
    use crate::components::confirmed;
    use leptos::wasm_bindgen::{JsCast, closure::Closure};
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        if !dirty.get_untracked() {
            return;
        }
        let link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten());
        if let Some(link) = link
            && !link.has_attribute("download")
            && !confirmed("You have unsaved changes. Leave this page?")
        {
            ev.prevent_default();
            ev.stop_immediate_propagation();
        }
    });
    let listener: &web_sys::js_sys::Function = on_click.as_ref().unchecked_ref();
    let _ = document().add_event_listener_with_callback_and_bool("click", listener, true);
    let held = send_wrapper::SendWrapper::new(on_click);
    on_cleanup(move || {
        let listener: &web_sys::js_sys::Function = held.as_ref().unchecked_ref();
        let _ = document().remove_event_listener_with_callback_and_bool("click", listener, true);
    });
}
