//! The one time a token's value is shown: right after it was made. It lives only in the page's
//! memory; reloading the page (or "Done") forgets it, and the server never sends it again.

use super::api::CreateToken;
use leptos::prelude::*;

#[component]
pub fn CreatedTokenNotice(action: ServerAction<CreateToken>) -> impl IntoView {
    move || match action.value().get() {
        Some(Ok(created)) => Some(view! {
            <div class="notice" role="status" data-testid="new-token">
                <p>
                    <strong>{format!("Token “{}” created.", created.token.name)}</strong>
                    " Copy it now: it will not be shown again."
                </p>
                <label for="new-token-value">"Your new token"</label>
                <input
                    id="new-token-value"
                    data-testid="new-token-value"
                    readonly
                    size="90"
                    value=created.value.clone()
                />
                <button
                    type="button"
                    class="button button-quiet"
                    data-testid="dismiss-new-token"
                    on:click=move |_| action.value().set(None)
                >
                    "Done"
                </button>
            </div>
        }),
        _ => None,
    }
}
