//! The pages around the form: a new template, and editing the current version of one.

use super::api::get_template;
use super::form::TemplateForm;
use crate::components::{ErrorPanel, PageHeader};
use berth_domain::template::TemplateSpec;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn NewTemplatePage() -> impl IntoView {
    view! {
        <PageHeader title="New template" lead="Each section can be filled in any order; every problem is shown at its field." />
        <TemplateForm initial=TemplateSpec::blank() base_version=None />
    }
}

#[component]
pub fn EditTemplatePage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.with(|p| p.get("name").unwrap_or_default()),
        get_template,
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading the template…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => {
                        let detail = page.detail;
                        let title = format!("Edit {}", detail.spec.title);
                        view! {
                            <Title text=title.clone() />
                            <div class="page-header"><div>
                                <p class="breadcrumb"><a href="/templates">"Templates"</a>" / "
                                    <a href=format!("/template/{}", detail.spec.name)>{detail.spec.title.clone()}</a></p>
                                <h1>{title}</h1>
                                <p class="lead">{format!("Saving makes version {}; version {} stays as it is.", detail.current.version + 1, detail.current.version)}</p>
                            </div></div>
                            <TemplateForm initial=detail.spec base_version=Some(detail.current.version) />
                        }.into_any()
                    }
                    Err(error) => view! { <h1>"Edit template"</h1><ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
