//! The "API tokens" section: the caller's tokens (active, expired and revoked), the form to make
//! one, and a revoke button for each active token.

use super::api::{CreateToken, RevokeToken, TokenStatus, TokenView, list_tokens};
use super::format::when;
use super::token_created::CreatedTokenNotice;
use super::token_form::CreateTokenForm;
use crate::components::{ErrorPanel, Hydrated, StatusPill, Tone};
use leptos::prelude::*;

#[component]
pub fn TokensSection() -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_tokens(),
    );
    let revoke_error = move || match revoke.value().get() {
        Some(Err(error)) => Some(view! {
            <p class="error-panel" role="alert" data-testid="token-revoke-error">{error.to_string()}</p>
        }),
        _ => None,
    };
    view! {
        <section class="section" aria-labelledby="tokens-heading" data-testid="api-tokens">
            <h2 id="tokens-heading">"API tokens"</h2>
            <p class="muted">
                "For scripts and CI: send a token as " <code>"Authorization: Bearer …"</code>
                " to the REST API under " <code>"/api/v1"</code>
                ". A token never acts with more than your current role, and cannot sign in to this site."
            </p>
            <CreatedTokenNotice action=create />
            <Transition fallback=|| view! { <p class="muted">"Loading your tokens…"</p> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) => view! {
                            <CreateTokenForm action=create owner_role=list.owner_role />
                            <TokenTable tokens=list.tokens revoke />
                        }
                            .into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            {revoke_error}
        </section>
    }
}

#[component]
fn TokenTable(tokens: Vec<TokenView>, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    if tokens.is_empty() {
        return view! { <p class="muted" data-testid="no-tokens">"You have no API tokens yet."</p> }
            .into_any();
    }
    view! {
        <table class="table" data-testid="token-table">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Role"</th>
                    <th scope="col">"Created"</th>
                    <th scope="col">"Expires"</th>
                    <th scope="col">"Last used"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {tokens.into_iter().map(|token| view! { <TokenRow token revoke /> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn TokenRow(token: TokenView, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    let tone = match token.status {
        TokenStatus::Active => Tone::Good,
        TokenStatus::Expired => Tone::Neutral,
        TokenStatus::Revoked => Tone::Bad,
    };
    let active = token.status == TokenStatus::Active;
    let id = token.id.clone();
    let label = format!("Revoke {}", token.name);
    view! {
        <tr data-testid="token-row" data-name=token.name.clone() data-status=token.status.label()>
            <td>
                <strong>{token.name.clone()}</strong>
                <br />
                <code class="muted">{token.prefix.clone()}</code>
            </td>
            <td>{token.role.label()}</td>
            <td><time datetime=token.created_at.clone()>{when(&token.created_at)}</time></td>
            <td>{token.expires_at.as_deref().map_or_else(|| "Never".to_string(), when)}</td>
            <td>{token.last_used_at.as_deref().map_or_else(|| "Never".to_string(), when)}</td>
            <td><StatusPill tone label=token.status.label() /></td>
            <td>
                {active.then(|| view! {
                    <button
                        type="button"
                        class="button button-quiet"
                        data-testid="revoke-token"
                        aria-label=label
                        disabled=move || !Hydrated::get() || revoke.pending().get()
                        on:click=move |_| {
                            revoke.dispatch(RevokeToken { id: id.clone() });
                        }
                    >
                        "Revoke"
                    </button>
                })}
            </td>
        </tr>
    }
}
