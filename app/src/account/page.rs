//! The Account page: the caller's API tokens, then their sessions, then a password change.

use super::password_form::PasswordSection;
use super::session_list::SessionsSection;
use super::token_list::TokensSection;
use crate::components::PageHeader;
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <PageHeader
            title="Account"
            lead="Your API tokens for scripts and CI, and the browsers signed in as you."
        />
        <TokensSection />
        <SessionsSection />
        <PasswordSection />
    }
}
