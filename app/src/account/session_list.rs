//! The "Sessions" section: every browser signed in as the caller, the current one marked; any
//! other can be ended, or all of them at once.

use super::api::{RevokeOtherSessions, RevokeSession, SessionView, list_sessions};
use super::format::when;
use crate::components::{ErrorPanel, Hydrated};
use leptos::prelude::*;

#[component]
pub fn SessionsSection() -> impl IntoView {
    let revoke = ServerAction::<RevokeSession>::new();
    let revoke_others = ServerAction::<RevokeOtherSessions>::new();
    let sessions = Resource::new(
        move || (revoke.version().get(), revoke_others.version().get()),
        |_| list_sessions(),
    );
    let outcome = move || {
        let error = |error: crate::AppError| {
            view! { <p class="error-panel" role="alert" data-testid="session-error">{error.to_string()}</p> }
                .into_any()
        };
        match (revoke.value().get(), revoke_others.value().get()) {
            (Some(Err(e)), _) | (_, Some(Err(e))) => Some(error(e)),
            (_, Some(Ok(count))) => {
                let text = match count {
                    0 => "There were no other sessions to end.".to_string(),
                    1 => "Signed out 1 other session.".to_string(),
                    n => format!("Signed out {n} other sessions."),
                };
                Some(view! { <p class="notice" role="status" data-testid="session-notice">{text}</p> }.into_any())
            }
            _ => None,
        }
    };
    view! {
        <section class="section" aria-labelledby="sessions-heading" data-testid="sessions">
            <h2 id="sessions-heading">"Sessions"</h2>
            <p class="muted">
                "Browsers signed in as you. End any you do not recognise; a session also ends after "
                "a while without use."
            </p>
            <Transition fallback=|| view! { <p class="muted">"Loading your sessions…"</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(list) => view! { <SessionTable sessions=list revoke /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <p>
                <button
                    type="button"
                    class="button"
                    data-testid="revoke-other-sessions"
                    disabled=move || !Hydrated::get() || revoke_others.pending().get()
                    on:click=move |_| {
                        revoke.value().set(None);
                        revoke_others.dispatch(RevokeOtherSessions {});
                    }
                >
                    "Sign out everywhere else"
                </button>
            </p>
            {outcome}
        </section>
    }
}

#[component]
fn SessionTable(sessions: Vec<SessionView>, revoke: ServerAction<RevokeSession>) -> impl IntoView {
    view! {
        <table class="table" data-testid="session-table">
            <thead>
                <tr>
                    <th scope="col">"Signed in"</th>
                    <th scope="col">"Last seen"</th>
                    <th scope="col">"IP address"</th>
                    <th scope="col">"Browser"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {sessions.into_iter().map(|session| view! { <SessionRow session revoke /> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn SessionRow(session: SessionView, revoke: ServerAction<RevokeSession>) -> impl IntoView {
    let handle = session.handle.clone();
    let current = session.current;
    view! {
        <tr data-testid="session-row" data-handle=session.handle.clone() data-current=current.to_string()>
            <td><time datetime=session.created_at.clone()>{when(&session.created_at)}</time></td>
            <td><time datetime=session.last_seen_at.clone()>{when(&session.last_seen_at)}</time></td>
            <td>{session.ip.clone().unwrap_or_else(|| "unknown".to_string())}</td>
            <td class="muted">{session.user_agent.clone().unwrap_or_else(|| "unknown".to_string())}</td>
            <td>
                {if current {
                    view! { <span class="badge" data-testid="this-session">"This session"</span> }.into_any()
                } else {
                    view! {
                        <button
                            type="button"
                            class="button button-quiet"
                            data-testid="revoke-session"
                            disabled=move || !Hydrated::get() || revoke.pending().get()
                            on:click=move |_| {
                                revoke.dispatch(RevokeSession { handle: handle.clone() });
                            }
                        >
                            "End session"
                        </button>
                    }
                        .into_any()
                }}
            </td>
        </tr>
    }
}
