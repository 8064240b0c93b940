//! The catalog: a card per template, searchable and filtered by category and tag. The filters
//! are a plain GET form, so the URL says what is shown and works before hydration.

use super::api::{Catalog, template_catalog};
use super::card::TemplateCard;
use crate::components::{EmptyState, ErrorPanel, PageHeader};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let params = use_query_map();
    let get = move |key: &str| params.with(|p| p.get(key).unwrap_or_default());
    let catalog = Resource::new(
        move || (get("search"), get("category"), get("tag")),
        |(search, category, tag)| template_catalog(search, category, tag),
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading templates…"</p> }>
            {move || Suspend::new(async move {
                match catalog.await {
                    Ok(catalog) => view! {
                        <Header can_manage=catalog.can_manage />
                        <Filters catalog=catalog.clone() search=get("search") category=get("category") tag=get("tag") />
                        <Cards catalog />
                    }.into_any(),
                    Err(error) => view! { <Header can_manage=false /><ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The title with the catalog's actions: read inside the resource's Suspend, so the server and
/// the browser render the same buttons.
#[component]
fn Header(can_manage: bool) -> impl IntoView {
    view! {
        <PageHeader title="Templates" lead="What a container becomes: an OS image, package buckets, files, scripts and inputs.">
            <a class="button button-quiet" href="/templates/buckets">"Package buckets"</a>
            {can_manage.then(|| view! {
                <a class="button button-quiet" href="/templates/import">"Import"</a>
                <a class="button" href="/templates/new" data-testid="new-template">"New template"</a>
            })}
        </PageHeader>
    }
}

#[component]
fn Filters(catalog: Catalog, search: String, category: String, tag: String) -> impl IntoView {
    let options = |all: Vec<String>, selected: String| {
        let any = view! { <option value="" selected=selected.is_empty()>"any"</option> };
        let rest = all
            .into_iter()
            .map(|value| {
                let is = value == selected;
                view! { <option value=value.clone() selected=is>{value.clone()}</option> }
            })
            .collect_view();
        (any, rest)
    };
    view! {
        <form class="filters" method="get" action="/templates" role="search" data-testid="template-filters">
            <label for="template-search">"Search"</label>
            <input id="template-search" name="search" type="search" value=search placeholder="name, title, tag" />
            <label for="template-category">"Category"</label>
            <select id="template-category" name="category">{options(catalog.categories, category)}</select>
            <label for="template-tag">"Tag"</label>
            <select id="template-tag" name="tag">{options(catalog.tags, tag)}</select>
            <button type="submit" class="button">"Filter"</button>
            <a class="button button-quiet" href="/templates">"Clear"</a>
        </form>
    }
}

#[component]
fn Cards(catalog: Catalog) -> impl IntoView {
    if catalog.templates.is_empty() {
        return view! {
            <EmptyState title="No templates match">
                <p>"Change the search or the filters, or clear them to see the whole catalog."</p>
            </EmptyState>
        }
        .into_any();
    }
    let count = catalog.templates.len();
    view! {
        <p class="muted" data-testid="template-count">
            {format!("{count} template{}", if count == 1 { "" } else { "s" })}
        </p>
        <ul class="card-grid" data-testid="template-cards">
            {catalog.templates.into_iter().map(|template| view! { <TemplateCard template /> }).collect_view()}
        </ul>
    }
    .into_any()
}
