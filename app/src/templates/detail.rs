//! One template: what it installs, its history, and (for admins) edit, export and delete.

use super::api::{DeleteTemplate, TemplatePage, get_template};
use super::history::History;
use super::summary::{Contents, Facts};
use crate::components::{ErrorPanel, confirmed};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn TemplateDetailPage() -> impl IntoView {
    let params = use_params_map();
    let name = move || params.with(|p| p.get("name").unwrap_or_default());
    let page = Resource::new(name, get_template);
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading the template…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <Detail page /> }.into_any(),
                    Err(error) => view! {
                        <Title text="Template" />
                        <h1>"Template"</h1>
                        <ErrorPanel error />
                        <p><a href="/templates">"Back to the catalog"</a></p>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Detail(page: TemplatePage) -> impl IntoView {
    let detail = page.detail;
    let spec = detail.spec.clone();
    let name = spec.name.clone();
    let delete = ServerAction::<DeleteTemplate>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate("/templates", Default::default());
        }
    });
    let confirm_name = name.clone();
    view! {
        <Title text=format!("{} · Templates", spec.title) />
        <div class="page-header">
            <div>
                <p class="breadcrumb"><a href="/templates">"Templates"</a></p>
                <h1 data-testid="template-title">{spec.title.clone()}</h1>
                <p class="lead">{spec.description.clone()}</p>
                <p class="muted">
                    <span class="mono">{name.clone()}</span>
                    {format!(" · version {} · saved {}", detail.current.version, detail.current.created_at)}
                    {(!detail.current.created_by.is_empty()).then(|| format!(" by {}", detail.current.created_by))}
                    {detail.builtin.then(|| view! { " " <span class="badge">"built-in"</span> })}
                </p>
            </div>
            <div class="page-actions">
                <a class="button" href=format!("/containers/new?template={name}") data-testid="create-container">"Create container"</a>
                <a class="button button-quiet" href=format!("/templates/export/{name}") download=format!("{name}.yaml") data-testid="export-template">"Export YAML"</a>
                {page.can_manage.then(|| view! {
                    <a class="button" href=format!("/template/{name}/edit") data-testid="edit-template">"Edit"</a>
                    <ActionForm action=delete>
                        <input type="hidden" name="name" value=confirm_name.clone() />
                        <button type="submit" class="button button-danger" data-testid="delete-template"
                            on:click=|ev| if !confirmed("Delete this template and its whole history?") { ev.prevent_default() }>"Delete"</button>
                    </ActionForm>
                })}
            </div>
        </div>
        {move || delete.value().get().and_then(Result::err).map(|error| view! { <ErrorPanel error /> })}
        <Facts spec=spec.clone() />
        <Contents spec buckets=detail.buckets />
        <History name versions=detail.versions />
    }
}
