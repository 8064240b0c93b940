//! One template in the catalog.

use berth_domain::template::TemplateSummary;
use leptos::prelude::*;

#[component]
pub fn TemplateCard(template: TemplateSummary) -> impl IntoView {
    let href = format!("/template/{}", template.name);
    let image = template
        .os_template
        .split_once("vztmpl/")
        .map(|(_, file)| file.to_string())
        .unwrap_or_else(|| template.os_template.clone());
    view! {
        <li class="card" data-testid="template-card" data-name=template.name.clone()>
            <div class="card-head">
                <span class="card-icon" aria-hidden="true" data-icon=template.icon.clone()>
                    {icon_glyph(&template.icon)}
                </span>
                <h2><a href=href>{template.title.clone()}</a></h2>
                {template.builtin.then(|| view! { <span class="badge">"built-in"</span> })}
            </div>
            <p class="card-description">{template.description.clone()}</p>
            <p class="muted mono card-image" title="OS template">{image}</p>
            <div class="card-foot">
                {(!template.category.is_empty()).then(|| view! {
                    <a class="pill pill-neutral" href=format!("/templates?category={}", template.category)>{template.category.clone()}</a>
                })}
                {template.tags.iter().map(|tag| view! {
                    <a class="tag" href=format!("/templates?tag={tag}")>{format!("#{tag}")}</a>
                }).collect_view()}
                <span class="muted card-version">{format!("v{}", template.version)}</span>
            </div>
        </li>
    }
}

/// A one-character stand-in per icon name (no icon font or images to load).
pub fn icon_glyph(icon: &str) -> &'static str {
    match icon {
        "server" => "▤",
        "code" => "‹›",
        "database" => "◫",
        "globe" => "◍",
        "cpu" => "▣",
        "chain" => "⛓",
        "rocket" => "➚",
        "shield" => "⛨",
        "terminal" => "▸_",
        _ => "▢",
    }
}
