//! A page's title (its one `<h1>`, also used for the document title) and a line about it.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PageHeader(
    title: &'static str,
    #[prop(optional)] lead: Option<&'static str>,
    /// Actions shown beside the title (buttons, links).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <Title text=title />
        <div class="page-header">
            <div>
                <h1>{title}</h1>
                {lead.map(|lead| view! { <p class="lead">{lead}</p> })}
            </div>
            {children.map(|children| view! { <div class="page-actions">{children()}</div> })}
        </div>
    }
}
