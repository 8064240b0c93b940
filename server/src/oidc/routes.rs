//! `GET /auth/oidc/{provider}/start` and `GET /auth/oidc/{provider}/callback`. Every failure
//! lands on `/login?error=sso` and is audited as `login_failed` with its reason (never a token).

use super::account::{self, AccountError, Identity};
use super::flow::PendingFlow;
use super::provider::error_chain;
use super::respond::{FAILED, fail, record, with_cookies};
use super::{Oidc, Provider};
use crate::security::same;
use axum::Router;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use berth_auth::session::set_cookie_header;
use berth_db::audit::{NewAuditEntry, Outcome};
use berth_db::users;
use berth_domain::url::safe_next;
use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::{
    AccessTokenHash, AuthorizationCode, CsrfToken, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RequestTokenError, Scope, TokenResponse,
};
use serde::Deserialize;
use std::net::{IpAddr, SocketAddr};
use uuid::Uuid;

pub fn routes(oidc: Oidc) -> Router {
    Router::new()
        .route("/auth/oidc/{provider}/start", get(start))
        .route("/auth/oidc/{provider}/callback", get(callback))
        .with_state(oidc)
}

#[derive(Debug, Deserialize)]
struct StartQuery {
    #[serde(default)]
    next: String,
}

async fn start(
    State(oidc): State<Oidc>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    Query(query): Query<StartQuery>,
) -> Response {
    let Some(provider) = oidc.provider(&id) else {
        return Redirect::to(FAILED).into_response();
    };
    let client = match provider.client(&oidc.inner.http).await {
        Ok(client) => client,
        Err(error) => {
            tracing::warn!(provider = %id, error = %format!("{error:#}"), "OIDC provider unavailable");
            return fail(&oidc, peer.ip(), &id, "provider unavailable", None).await;
        }
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let scopes = provider.config.scopes.iter().filter(|s| *s != "openid");
    let (url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scopes(scopes.map(|s| Scope::new(s.clone())))
        .set_pkce_challenge(challenge)
        .url();
    let flow = PendingFlow {
        provider: id.clone(),
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        next: safe_next(&query.next),
    };
    match oidc.inner.flows.begin(&flow).await {
        Ok(cookie) => with_cookies(Redirect::to(url.as_str()), &[cookie]),
        Err(error) => {
            tracing::error!(error = %format!("{error:#}"), "cannot store a pending OIDC sign-in");
            fail(
                &oidc,
                peer.ip(),
                &id,
                "cannot store the pending sign-in",
                None,
            )
            .await
        }
    }
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    /// RFC 9207: providers that send it name themselves; anything else is a mix-up.
    iss: Option<String>,
}

async fn callback(
    State(oidc): State<Oidc>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    Query(query): Query<CallbackQuery>,
    headers: HeaderMap,
) -> Response {
    let ip = peer.ip();
    let cookies = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ");
    let flow = match oidc.inner.flows.take(Some(&cookies)).await {
        Ok(Some(flow)) => flow,
        Ok(None) => {
            return fail(
                &oidc,
                ip,
                &id,
                "no pending sign-in (missing, expired or used)",
                None,
            )
            .await;
        }
        Err(error) => {
            tracing::error!(error = %format!("{error:#}"), "cannot read a pending OIDC sign-in");
            return fail(&oidc, ip, &id, "cannot read the pending sign-in", None).await;
        }
    };
    let Some(provider) = oidc.provider(&id).filter(|_| flow.provider == id) else {
        return fail(
            &oidc,
            ip,
            &id,
            "the sign-in was started for another provider",
            None,
        )
        .await;
    };
    match finish(&oidc, provider, flow, query, ip).await {
        Ok((user, next)) => open_session(&oidc, &id, user, next, ip, &headers).await,
        Err((reason, user)) => fail(&oidc, ip, &id, &reason, user).await,
    }
}

type Failure = (String, Option<Uuid>);

/// Checks `state`, redeems the code with the PKCE verifier, verifies the ID token and maps its
/// claims. Only the claims survive: the tokens are dropped here.
async fn finish(
    oidc: &Oidc,
    provider: &Provider,
    flow: PendingFlow,
    query: CallbackQuery,
    ip: IpAddr,
) -> Result<(users::User, String), Failure> {
    let refuse = |reason: &str| (reason.to_string(), None);
    if let Some(error) = query.error {
        let code: String = error
            .chars()
            .filter(char::is_ascii_graphic)
            .take(64)
            .collect();
        return Err(refuse(&format!("the provider answered `{code}`")));
    }
    let state = query.state.unwrap_or_default();
    if !same(state.as_bytes(), flow.state.as_bytes()) {
        return Err(refuse("state mismatch"));
    }
    if query.iss.is_some_and(|iss| iss != provider.config.issuer) {
        return Err(refuse("the response names another issuer"));
    }
    let code = query
        .code
        .filter(|c| !c.is_empty())
        .ok_or_else(|| refuse("no code"))?;
    let client = provider.client(&oidc.inner.http).await.map_err(|e| {
        tracing::warn!(provider = %flow.provider, error = %format!("{e:#}"), "OIDC provider unavailable");
        refuse("provider unavailable")
    })?;
    let request = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|_| refuse("the provider has no token endpoint"))?;
    let token = request
        .set_pkce_verifier(PkceCodeVerifier::new(flow.pkce_verifier))
        .request_async(&oidc.inner.http)
        .await
        .map_err(|error| match error {
            RequestTokenError::ServerResponse(response) => {
                refuse(&format!("the token endpoint refused the code: {}", response.error()))
            }
            other => {
                tracing::warn!(provider = %flow.provider, error = %error_chain(&other), "OIDC token request failed");
                refuse("token request failed")
            }
        })?;
    let id_token = token.id_token().ok_or_else(|| refuse("no ID token"))?;
    let verifier = client.id_token_verifier();
    let claims = match id_token.claims(&verifier, &Nonce::new(flow.nonce)) {
        Ok(claims) => claims,
        Err(error) => {
            // A key the cached metadata does not know may have been rotated in: fetch it anew.
            provider.forget_metadata().await;
            return Err(refuse(&format!("ID token rejected: {error}")));
        }
    };
    if let Some(expected) = claims.access_token_hash() {
        let actual = id_token
            .signing_alg()
            .ok()
            .zip(id_token.signing_key(&verifier).ok())
            .and_then(|(alg, key)| {
                AccessTokenHash::from_token(token.access_token(), alg, key).ok()
            });
        if actual.as_ref() != Some(expected) {
            return Err(refuse("ID token rejected: access token hash mismatch"));
        }
    }
    let config = &provider.config;
    let groups = claims.additional_claims().strings(&config.groups_claim);
    let role = config
        .roles
        .role_for(&groups)
        .ok_or_else(|| refuse("no group grants a role"))?;
    let identity = Identity {
        provider: config.id.clone(),
        issuer: config.issuer.clone(),
        subject: claims.subject().as_str().to_string(),
        preferred_username: claims.preferred_username().map(|u| u.as_str().to_string()),
        email: claims.email().map(|e| e.as_str().to_string()),
        name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_string()),
        role,
        role_from_groups: config.roles.is_authoritative(),
    };
    let mut conn = oidc.inner.auth.db.get().await.map_err(|error| {
        tracing::error!(%error, "cannot reach the database to sign in");
        refuse("database unavailable")
    })?;
    match account::resolve(&mut conn, &identity, ip).await {
        Ok(user) => Ok((user, flow.next)),
        Err(AccountError::Disabled(user)) => Err(("account disabled".to_string(), Some(user.id))),
        Err(AccountError::Db(error)) => {
            tracing::error!(%error, "cannot find or create the OIDC user");
            Err(refuse("cannot find or create the user"))
        }
    }
}

/// A fresh session, exactly as local sign-in opens one.
async fn open_session(
    oidc: &Oidc,
    provider: &str,
    user: users::User,
    next: String,
    ip: IpAddr,
    headers: &HeaderMap,
) -> Response {
    let auth = &oidc.inner.auth;
    let id = match auth.open_session(user.id, ip, headers).await {
        Ok(id) => id,
        Err(error) => {
            tracing::error!(%error, "cannot create a session");
            return with_cookies(Redirect::to(FAILED), &[oidc.inner.flows.clear_cookie()]);
        }
    };
    record(
        oidc,
        NewAuditEntry::new(user.display_name.clone(), "login", Outcome::Success)
            .actor(user.id)
            .source_ip(ip)
            .details(serde_json::json!({ "method": "oidc", "provider": provider })),
    )
    .await;
    with_cookies(
        Redirect::to(&next),
        &[
            set_cookie_header(&id, &auth.cookie),
            oidc.inner.flows.clear_cookie(),
        ],
    )
}
