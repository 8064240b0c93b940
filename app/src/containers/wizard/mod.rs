//! The wizard at `/containers/new`: a template (catalog picker), then one step per part of the
//! container spec, a review, and the run's progress page. Defaults come from the template
//! version; the browser checks with the same rules as the server (`ContainerSpec::validate`)
//! and shows each problem, the server's too, at its field.

mod access;
pub mod api;
#[cfg(feature = "ssr")]
pub mod api_ssr;
#[cfg(feature = "ssr")]
pub mod checks_ssr;
mod fields;
mod form;
mod identity;
mod inputs;
mod network;
mod resources;
mod review;
#[cfg(feature = "ssr")]
mod secrets_ssr;
mod steps;
mod storage;
mod template;

use crate::components::{ErrorPanel, PageHeader};
use crate::templates::api::get_template;
use berth_domain::container::ContainerSpec;
use berth_domain::template::{FieldProblem, TemplateSpec};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What every step reads and writes, provided as context by the form.
#[derive(Clone, Copy, Debug)]
pub struct Wizard {
    pub spec: RwSignal<ContainerSpec>,
    /// The problems shown now: the browser's own (once a step was left or sent) and the
    /// server's last answer.
    pub problems: Signal<Vec<FieldProblem>>,
    pub template: StoredValue<TemplateSpec>,
}

#[component]
pub fn NewContainerPage() -> impl IntoView {
    let query = use_query_map();
    let chosen = Memo::new(move |_| {
        query.with(|q| {
            q.get("template")
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
        })
    });
    let template = Resource::new(
        move || chosen.get(),
        |name| async move {
            match name {
                Some(name) => get_template(name).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let body = move || {
        Suspend::new(async move {
            match template.await {
                Ok(None) => view! { <template::TemplatePicker /> }.into_any(),
                Ok(Some(page)) => {
                    let version = page.detail.current.version;
                    view! { <form::WizardForm template=page.detail.spec version /> }.into_any()
                }
                Err(error) => view! { <ErrorPanel error /> }.into_any(),
            }
        })
    };
    view! {
        <PageHeader title="New container" lead="Pick a template, adjust what it suggests, review, and Berth builds it." />
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>{body}</Suspense>
    }
}
