//! "Open the app": the links a succeeded run's template declares, with whom to sign in as and
//! which of the operator's inputs is the password (never the password itself).

use berth_domain::template::AppAccess;
use leptos::prelude::*;

#[component]
pub fn AppLinks(apps: Signal<Vec<AppAccess>>) -> impl IntoView {
    move || {
        let apps = apps.get();
        (!apps.is_empty()).then(|| {
            view! {
                <section class="run-apps" data-testid="run-apps" aria-labelledby="run-apps-title">
                    <h3 id="run-apps-title">"Open the app"</h3>
                    <ul class="app-links">
                        {apps.into_iter().map(|app| view! { <AppItem app /> }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

#[component]
fn AppItem(app: AppAccess) -> impl IntoView {
    let link = match app.url {
        Some(url) => view! {
            <a class="mono" href=url.clone() target="_blank" rel="noopener noreferrer"
                data-testid="app-url">{url.clone()}</a>
        }
        .into_any(),
        None => view! { <span class="muted">"address not known yet"</span> }.into_any(),
    };
    let sign_in = match (app.username, app.password_from) {
        (Some(user), Some(from)) => Some(format!(
            "Sign in as {user} with the password you chose for “{from}”."
        )),
        (Some(user), None) => Some(format!("Sign in as {user}.")),
        (None, Some(from)) => Some(format!("Sign in with the password you chose for “{from}”.")),
        (None, None) => None,
    };
    let label = app.label;
    view! {
        <li data-testid="app-link" data-label=label.clone()>
            <strong>{label.clone()}</strong>
            " "
            {link}
            {sign_in.map(|text| view! { <p class="muted">{text}</p> })}
        </li>
    }
}
