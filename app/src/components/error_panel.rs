//! How a failed server call is shown: the safe message, announced to screen readers.

use crate::AppError;
use leptos::prelude::*;

#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    view! {
        <div class="error-panel" role="alert">
            <strong>"Could not load this."</strong>
            <p>{error.to_string()}</p>
        </div>
    }
}
