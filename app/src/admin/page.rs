//! The Admin page: who may use Berth, with which role (Users), and Berth's own backups.

use super::api::{CreateUser, EndUserSessions, SetUserDisabled, SetUserRole, list_users};
use super::backups::BackupsPanel;
use super::create_user_form::CreateUserForm;
use super::user_table::UserTable;
use crate::components::{ErrorPanel, PageHeader};
use leptos::prelude::*;

#[component]
pub fn AdminPage() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let set_role = ServerAction::<SetUserRole>::new();
    let set_disabled = ServerAction::<SetUserDisabled>::new();
    let end_sessions = ServerAction::<EndUserSessions>::new();
    // Reload the list after any change.
    let users = Resource::new(
        move || {
            (
                create.version().get(),
                set_role.version().get(),
                set_disabled.version().get(),
                end_sessions.version().get(),
            )
        },
        |_| list_users(),
    );
    let change_error = move || {
        [set_role.value().get(), set_disabled.value().get()]
            .into_iter()
            .flatten()
            .find_map(Result::err)
            .or_else(|| end_sessions.value().get().and_then(Result::err))
    };
    let ended = move || {
        end_sessions.value().get().and_then(Result::ok).map(|ended| {
            let sessions = if ended.count == 1 { "session" } else { "sessions" };
            let text = format!("Ended {} {sessions} of {}.", ended.count, ended.username);
            view! { <p class="notice" role="status" data-testid="end-sessions-notice">{text}</p> }
        })
    };

    view! {
        <PageHeader title="Admin" lead="Users and their roles, and backups of Berth's database. Changes are written to the audit trail." />
        <section class="section" aria-labelledby="users-heading">
            <h2 id="users-heading">"Users"</h2>
            {move || change_error().map(|error| view! { <ErrorPanel error /> })}
            {ended}
            <Transition fallback=|| view! { <p class="muted">"Loading users…"</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(users) => view! { <UserTable users set_role set_disabled end_sessions /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <section class="section" aria-labelledby="new-user-heading">
            <h2 id="new-user-heading">"Add a local user"</h2>
            <CreateUserForm action=create />
        </section>
        <BackupsPanel />
    }
}
