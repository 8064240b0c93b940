//! Create or edit one package bucket. Used on the buckets page and inline in the template form.

use crate::AppError;
use crate::components::ErrorPanel;
use crate::templates::api::SaveBucket;
use crate::templates::form::field::{Problem, SelectField, TextArea, TextField};
use berth_domain::template::{FieldProblem, PackageBucket, PackageManager};
use leptos::prelude::*;

pub fn empty_bucket() -> PackageBucket {
    PackageBucket {
        name: String::new(),
        description: String::new(),
        manager: PackageManager::Apt,
        packages: Vec::new(),
        install_command: None,
    }
}

/// `on_saved` gets the bucket's name once the server has stored it.
#[component]
pub fn BucketForm(
    initial: PackageBucket,
    existing: bool,
    on_saved: Callback<String>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let bucket = RwSignal::new(initial);
    let save = ServerAction::<SaveBucket>::new();
    let tried = RwSignal::new(false);
    let problems = Signal::derive(move || {
        let mut all: Vec<FieldProblem> = if tried.get() {
            bucket.with(|b| b.validate().err().unwrap_or_default())
        } else {
            Vec::new()
        };
        if let Some(Err(AppError::Problems(found))) = save.value().get() {
            all.extend(found);
        }
        all
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            on_saved.run(bucket.with_untracked(|b| b.name.clone()));
        }
    });
    // Not a <form>: it also sits inside the template form, and forms do not nest.
    let submit = move || {
        tried.set(true);
        let current = bucket.get_untracked();
        if current.validate().is_ok() {
            save.dispatch(SaveBucket {
                bucket: current,
                existing,
            });
        }
    };
    let managers: Vec<_> = PackageManager::ALL
        .iter()
        .map(|m| (m.as_str(), m.as_str()))
        .collect();
    let hint = move || bucket.with(|b| format!("One per line, e.g. {}", b.manager.pin_example()));
    let other_error = move || match save.value().get() {
        Some(Err(AppError::Problems(_))) | None | Some(Ok(_)) => None,
        Some(Err(error)) => Some(error),
    };
    view! {
        <div class="bucket-form" role="group" aria-label="Package bucket" data-testid="bucket-form"
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                // Enter saves the bucket, not the template form around it.
                let in_text_area = event_target::<leptos::web_sys::Element>(&ev).tag_name() == "TEXTAREA";
                if ev.key() == "Enter" && !in_text_area {
                    ev.prevent_default();
                    submit();
                }
            }>
            <div class="fields">
                <TextField label="Bucket name" scope="bucket-" path="name".into() mono=true disabled=existing problems placeholder="base-tools"
                    value=Signal::derive(move || bucket.with(|b| b.name.clone()))
                    on_change=Callback::new(move |v: String| bucket.update(|b| b.name = v.trim().to_string())) />
                <SelectField label="Package manager" scope="bucket-" path="manager".into() options=managers
                    value=Signal::derive(move || bucket.with(|b| b.manager.as_str().to_string()))
                    on_change=Callback::new(move |v: String| bucket.update(|b| b.manager = PackageManager::parse(&v).unwrap_or(PackageManager::Apt))) />
                <TextField label="Description" scope="bucket-" path="description".into() problems
                    value=Signal::derive(move || bucket.with(|b| b.description.clone()))
                    on_change=Callback::new(move |v| bucket.update(|b| b.description = v)) />
            </div>
            <TextArea label="Packages" scope="bucket-" path="packages".into() rows=5 problems
                value=Signal::derive(move || bucket.with(|b| b.packages.join("\n")))
                on_change=Callback::new(move |v: String| bucket.update(|b| {
                    b.packages = v.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
                })) />
            <p class="muted">{hint}</p>
            {move || problems.with(|all| all.iter().filter(|p| p.path.starts_with("packages[")).map(|p| p.to_string()).collect::<Vec<_>>())
                .into_iter().map(|text| view! { <p class="field-problem" role="alert">{text}</p> }).collect_view()}
            <TextField label="Install command (optional; required for custom)" scope="bucket-" path="install_command".into() mono=true problems
                value=Signal::derive(move || bucket.with(|b| b.install_command.clone().unwrap_or_default()))
                on_change=Callback::new(move |v: String| bucket.update(|b| b.install_command = Some(v).filter(|v| !v.trim().is_empty()))) />
            <Problem problems path="install_command".into() />
            {move || other_error().map(|error| view! { <ErrorPanel error /> })}
            <div class="form-actions">
                <button type="button" class="button" disabled=move || save.pending().get() data-testid="save-bucket"
                    on:click=move |_| submit()>
                    {if existing { "Save bucket" } else { "Create bucket" }}
                </button>
                {on_cancel.map(|cancel| view! {
                    <button type="button" class="button button-quiet" on:click=move |_| cancel.run(())>"Cancel"</button>
                })}
            </div>
        </div>
    }
}
