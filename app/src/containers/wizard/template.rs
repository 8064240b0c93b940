//! Step one: which template the container is made from. A card per template; choosing one
//! puts it in the URL (`?template=name`), so the wizard can be linked to and reloaded.

use crate::components::{EmptyState, ErrorPanel};
use crate::templates::api::template_catalog;
use crate::templates::card::icon_glyph;
use leptos::prelude::*;

#[component]
pub fn TemplatePicker() -> impl IntoView {
    let catalog = Resource::new(
        || (),
        |()| template_catalog(String::new(), String::new(), String::new()),
    );
    let cards = move || {
        Suspend::new(async move {
            match catalog.await {
                Ok(catalog) if catalog.templates.is_empty() => view! {
                    <EmptyState title="No templates yet">
                        <p>"An admin adds or imports templates on the Templates page."</p>
                    </EmptyState>
                }
                .into_any(),
                Ok(catalog) => {
                    let cards = catalog
                    .templates
                    .into_iter()
                    .map(|t| {
                        let href = format!("/containers/new?template={}", t.name);
                        view! {
                            <li class="card" data-testid="wizard-template" data-name=t.name.clone()>
                                <div class="card-head">
                                    <span class="card-icon" aria-hidden="true">{icon_glyph(&t.icon)}</span>
                                    <h2><a href=href>{t.title.clone()}</a></h2>
                                </div>
                                <p class="card-description">{t.description.clone()}</p>
                                <div class="card-foot">
                                    <span class="muted card-version">{format!("{} · v{}", t.name, t.version)}</span>
                                </div>
                            </li>
                        }
                    })
                    .collect_view();
                    view! { <ul class="card-grid">{cards}</ul> }.into_any()
                }
                Err(error) => view! { <ErrorPanel error /> }.into_any(),
            }
        })
    };
    view! {
        <section class="wizard-step" aria-labelledby="wizard-template-title">
            <h2 id="wizard-template-title">"1. Choose a template"</h2>
            <Suspense fallback=|| view! { <p class="muted">"Loading templates…"</p> }>{cards}</Suspense>
        </section>
    }
}
