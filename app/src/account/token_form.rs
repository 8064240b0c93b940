//! Making a token: a name, an optional expiry in days, and a role no higher than the caller's.

use super::api::CreateToken;
use crate::components::Hydrated;
use berth_domain::Role;
use leptos::prelude::*;

#[component]
pub fn CreateTokenForm(action: ServerAction<CreateToken>, owner_role: Role) -> impl IntoView {
    let error = move || match action.value().get() {
        Some(Err(error)) => Some(view! {
            <p class="error-panel" role="alert" data-testid="token-error">{error.to_string()}</p>
        }),
        _ => None,
    };
    view! {
        <ActionForm action>
            <div class="form-grid" data-testid="create-token-form">
                <label for="token-name">"Name"</label>
                <input id="token-name" name="name" required maxlength="100" autocomplete="off"
                    placeholder="e.g. ci-deploy" />
                <label for="token-expiry">"Expires after (days)"</label>
                <input id="token-expiry" name="expires_in_days" type="number" min="1" max="3650"
                    value="90" placeholder="empty: never" />
                <label for="token-role">"Role"</label>
                <select id="token-role" name="role">
                    {Role::ALL
                        .into_iter()
                        .filter(|role| owner_role.includes(*role))
                        .map(|role| view! {
                            <option value=role.key() selected=role == owner_role>{role.label()}</option>
                        })
                        .collect_view()}
                </select>
                <span></span>
                <button
                    type="submit"
                    class="button"
                    data-testid="create-token"
                    disabled=move || !Hydrated::get() || action.pending().get()
                >
                    "Create token"
                </button>
            </div>
        </ActionForm>
        {error}
    }
}
