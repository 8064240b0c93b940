//! Who is signed in, and the way out. Sign-out is a plain form POST: it works without WASM.

use berth_domain::CurrentUser;
use leptos::prelude::*;

#[component]
pub fn UserMenu(user: CurrentUser) -> impl IntoView {
    view! {
        <div class="user-menu" data-testid="user-menu">
            <span class="user-name">{user.display_name.clone()}</span>
            <span class="badge">{user.role.key()}</span>
            <a href="/account" class="button button-quiet" data-testid="account-link">"Account"</a>
            <form method="post" action="/auth/logout">
                <button type="submit" class="button button-quiet" data-testid="logout">
                    "Sign out"
                </button>
            </form>
        </div>
    }
}
