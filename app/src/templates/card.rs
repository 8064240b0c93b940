//! One template in the catalog.

use berth_domain::template::TemplateSummary;
use leptos::prelude::*;

#[component]
pub fn TemplateCard(template: TemplateSummary) -> impl IntoView {
    // Every field is moved into the view: a hundred cards per page, no copies of their text.
    let TemplateSummary {
        name,
        title,
        description,
        icon,
        category,
        tags,
        os_template,
        builtin,
        version,
        updated_at: _,
    } = template;
    let href = format!("/template/{name}");
    let image = match os_template.split_once("vztmpl/") {
        Some((_, file)) => file.to_string(),
        None => os_template,
    };
    let glyph = icon_glyph(&icon);
    let category = (!category.is_empty()).then(|| {
        let href = format!("/templates?category={category}");
        view! { <a class="pill pill-neutral" href=href>{category}</a> }
    });
    let tags = tags
        .into_iter()
        .map(|tag| {
            let href = format!("/templates?tag={tag}");
            view! { <a class="tag" href=href>{format!("#{tag}")}</a> }
        })
        .collect_view();
    view! {
        <li class="card" data-testid="template-card" data-name=name>
            <div class="card-head">
                <span class="card-icon" aria-hidden="true" data-icon=icon>
                    {glyph}
                </span>
                <h2><a href=href>{title}</a></h2>
                {builtin.then(|| view! { <span class="badge">"built-in"</span> })}
            </div>
            <p class="card-description">{description}</p>
            <p class="muted mono card-image" title="OS template">{image}</p>
            <div class="card-foot">
                {category}
                {tags}
                <span class="muted card-version">{format!("v{version}")}</span>
            </div>
        </li>
    }
}

/// A one-character stand-in per icon name (no icon font or images to load), each one in DejaVu
/// Sans, the usual fallback font on Linux: ⛓ and ⛨ were not, and showed as empty boxes.
pub fn icon_glyph(icon: &str) -> &'static str {
    match icon {
        "server" => "▤",
        "code" => "‹›",
        "database" => "◫",
        "globe" => "◍",
        "cpu" => "▣",
        "chain" => "⚭",
        "rocket" => "➚",
        "shield" => "⬟",
        "terminal" => "▸_",
        _ => "▢",
    }
}
