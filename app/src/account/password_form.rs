//! The "Password" section: change the caller's own password (current, new, repeat). Success
//! signs out every other browser; this one stays signed in.

use super::api::ChangePassword;
use crate::components::Hydrated;
use leptos::prelude::*;

#[component]
pub fn PasswordSection() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let outcome = move || {
        match action.value().get() {
        Some(Err(error)) => Some(
            view! {
                <p class="error-panel" role="alert" data-testid="password-error">{error.to_string()}</p>
            }
            .into_any(),
        ),
        Some(Ok(count)) => {
            let text = match count {
                0 => "Your password was changed.".to_string(),
                1 => "Your password was changed and 1 other session was signed out.".to_string(),
                n => format!("Your password was changed and {n} other sessions were signed out."),
            };
            Some(view! { <p class="notice" role="status" data-testid="password-notice">{text}</p> }.into_any())
        }
        None => None,
    }
    };
    view! {
        <section class="section" aria-labelledby="password-heading" data-testid="password">
            <h2 id="password-heading">"Password"</h2>
            <p class="muted">
                "Changing your password signs out every other browser. Accounts that sign in "
                "through single sign-on change their password there."
            </p>
            <ActionForm action>
                <div class="form-grid" data-testid="password-form">
                    <label for="current-password">"Current password"</label>
                    <input id="current-password" name="current_password" type="password" required
                        autocomplete="current-password" />
                    <label for="new-password">"New password"</label>
                    <input id="new-password" name="new_password" type="password" required
                        minlength="12" autocomplete="new-password" />
                    <label for="repeat-password">"Repeat new password"</label>
                    <input id="repeat-password" name="repeat_password" type="password" required
                        minlength="12" autocomplete="new-password" />
                    <span></span>
                    <button
                        type="submit"
                        class="button"
                        data-testid="change-password"
                        disabled=move || !Hydrated::get() || action.pending().get()
                    >
                        "Change password"
                    </button>
                </div>
            </ActionForm>
            {outcome}
        </section>
    }
}
