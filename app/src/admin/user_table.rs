//! The user list, with a role selector, enable/disable and "End sessions" per row.

use super::api::{EndUserSessions, SetUserDisabled, SetUserRole};
use berth_domain::{Role, UserSummary};
use leptos::prelude::*;

#[component]
pub fn UserTable(
    users: Vec<UserSummary>,
    set_role: ServerAction<SetUserRole>,
    set_disabled: ServerAction<SetUserDisabled>,
    end_sessions: ServerAction<EndUserSessions>,
) -> impl IntoView {
    view! {
        <table class="table" data-testid="user-table">
            <thead>
                <tr>
                    <th scope="col">"User"</th>
                    <th scope="col">"Role"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Last sign-in"</th>
                    <th scope="col">
                        <span class="visually-hidden">"Actions"</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                {users
                    .into_iter()
                    .map(|user| view! { <UserRow user set_role set_disabled end_sessions /> })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn UserRow(
    user: UserSummary,
    set_role: ServerAction<SetUserRole>,
    set_disabled: ServerAction<SetUserDisabled>,
    end_sessions: ServerAction<EndUserSessions>,
) -> impl IntoView {
    let id = user.id.clone();
    let end_id = user.id.clone();
    let role_id = user.id.clone();
    let disabled = user.disabled;
    let on_role = move |ev: leptos::ev::Event| {
        if let Ok(role) = event_target_value(&ev).parse::<Role>() {
            set_role.dispatch(SetUserRole {
                user_id: role_id.clone(),
                role,
            });
        }
    };
    let toggle = move |_| {
        set_disabled.dispatch(SetUserDisabled {
            user_id: id.clone(),
            disabled: !disabled,
        });
    };
    let end = move |_| {
        end_sessions.dispatch(EndUserSessions {
            user_id: end_id.clone(),
        });
    };
    view! {
        <tr data-testid=format!("user-{}", user.username) data-disabled=disabled.to_string()>
            <td>
                <strong>{user.display_name.clone()}</strong>
                <span class="muted">" @" {user.username.clone()}</span>
                {user.email.clone().map(|email| view! { <div class="muted">{email}</div> })}
            </td>
            <td>
                <select aria-label=format!("Role of {}", user.username) on:change=on_role>
                    {Role::ALL
                        .into_iter()
                        .map(|role| {
                            view! {
                                <option value=role.key() selected=role == user.role>
                                    {role.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </td>
            <td>{if disabled { "Disabled" } else { "Active" }}</td>
            <td class="muted">{user.last_login_at.clone().unwrap_or_else(|| "never".to_string())}</td>
            <td>
                <button type="button" class="button button-quiet" on:click=toggle>
                    {if disabled { "Enable" } else { "Disable" }}
                </button>
                <button
                    type="button"
                    class="button button-quiet"
                    data-testid=format!("end-sessions-{}", user.username)
                    on:click=end
                >
                    "End sessions"
                </button>
            </td>
        </tr>
    }
}
