//! Adding a local account. An `ActionForm`: with WASM it stays on the page, without it the form
//! still posts to the server function.

use super::api::CreateUser;
use crate::components::ErrorPanel;
use berth_domain::Role;
use leptos::prelude::*;

#[component]
pub fn CreateUserForm(action: ServerAction<CreateUser>) -> impl IntoView {
    let outcome = move || action.value().get();
    view! {
        <ActionForm action>
            <div class="form-grid" data-testid="create-user-form">
                <label for="new-username">"Username"</label>
                <input id="new-username" name="username" required autocomplete="off" />
                <label for="new-display-name">"Display name"</label>
                <input id="new-display-name" name="display_name" />
                <label for="new-email">"Email"</label>
                <input id="new-email" name="email" type="email" />
                <label for="new-role">"Role"</label>
                <select id="new-role" name="role">
                    {Role::ALL
                        .into_iter()
                        .map(|role| view! { <option value=role.key() selected=role == Role::Viewer>{role.label()}</option> })
                        .collect_view()}
                </select>
                <label for="new-password">"Initial password"</label>
                <input id="new-password" name="password" type="password" minlength="12" required autocomplete="new-password" />
                <button type="submit" class="button">"Add user"</button>
            </div>
        </ActionForm>
        {move || match outcome() {
            Some(Ok(user)) => view! {
                <p class="notice" role="status">{format!("Added {} as {}.", user.username, user.role.key())}</p>
            }.into_any(),
            Some(Err(error)) => view! { <ErrorPanel error /> }.into_any(),
            None => ().into_any(),
        }}
    }
}
