//! `POST /auth/login` and `POST /auth/logout`: plain form posts, so signing in needs no WASM.
//! Every outcome is audited; failures never say whether the account exists.

use super::AuthServices;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use berth_auth::password::{Password, Verification};
use berth_auth::session::{clear_cookie_header, set_cookie_header};
use berth_auth::throttle::ThrottleError;
use berth_db::audit::{NewAuditEntry, Outcome};
use berth_db::users;
use berth_domain::url::{encode_query_value, safe_next};
use serde::Deserialize;
use std::net::{IpAddr, SocketAddr};

pub fn routes(auth: AuthServices) -> Router {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .with_state(auth)
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
}

impl std::fmt::Debug for LoginForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginForm")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

async fn login(
    State(auth): State<AuthServices>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let ip = peer.ip();
    let next = safe_next(&form.next);
    let account = users::normalize_username(&form.username);
    let failed = |error: &str| {
        let location = format!("/login?error={error}&next={}", encode_query_value(&next));
        Redirect::to(&location).into_response()
    };
    match auth.throttle.check(&account, ip).await {
        Ok(()) => {}
        Err(ThrottleError::Throttled(_)) => {
            record(&auth, failure_entry(&account, ip, "throttled")).await;
            return failed("throttled");
        }
        Err(error) => tracing::warn!(%error, "login throttle unavailable; continuing without it"),
    }
    let Some(user) = verify(&auth, &account, Password::new(form.password)).await else {
        if let Err(error) = auth.throttle.record_failure(&account, ip).await {
            tracing::warn!(%error, "cannot count a failed sign-in");
        }
        record(&auth, failure_entry(&account, ip, "invalid credentials")).await;
        return failed("invalid");
    };
    if let Err(error) = auth.throttle.record_success(&account).await {
        tracing::warn!(%error, "cannot reset the sign-in counter");
    }
    let id = match auth.open_session(user.id, ip, &headers).await {
        Ok(id) => id,
        Err(error) => {
            tracing::error!(%error, "cannot create a session");
            return failed("unavailable");
        }
    };
    record(
        &auth,
        NewAuditEntry::new(user.display_name.clone(), "login", Outcome::Success)
            .actor(user.id)
            .source_ip(ip),
    )
    .await;
    with_cookie(Redirect::to(&next), set_cookie_header(&id, &auth.cookie))
}

/// The active user whose password matches, or `None`, in the same time for every outcome.
async fn verify(auth: &AuthServices, account: &str, password: Password) -> Option<users::User> {
    let user = match auth.db.get().await {
        Ok(mut conn) => users::find_by_username(&mut conn, account)
            .await
            .ok()
            .flatten(),
        Err(error) => {
            tracing::error!(%error, "cannot reach the database to sign in");
            None
        }
    };
    let stored = user
        .as_ref()
        .filter(|u| u.disabled_at.is_none())
        .and_then(|u| u.password_hash.clone());
    let Some(stored) = stored else {
        // No such (active, local) account: spend the same time as a real check.
        let _ = auth.hasher.dummy_verify_blocking(password).await;
        return None;
    };
    let user = user?;
    // Kept for a rehash: verification consumes its copy.
    let again = Password::new(password.expose());
    match auth.hasher.verify_blocking(password, stored).await {
        Ok(Verification::Valid { needs_rehash }) => {
            if needs_rehash
                && let Ok(hash) = auth.hasher.hash_blocking(again).await
                && let Ok(mut conn) = auth.db.get().await
            {
                let _ = users::set_password_hash(&mut conn, user.id, Some(&hash)).await;
            }
            Some(user)
        }
        Ok(Verification::Invalid) => None,
        Err(error) => {
            tracing::error!(%error, user = %user.username, "stored password hash unusable");
            None
        }
    }
}

async fn logout(State(auth): State<AuthServices>, headers: HeaderMap) -> Response {
    if let Some(id) = auth.session_id(&headers)
        && let Ok(Some(session)) = auth.sessions.get(&id).await
    {
        let _ = auth.sessions.delete(&id).await;
        record(
            &auth,
            NewAuditEntry::new("session", "logout", Outcome::Success).actor(session.user_id),
        )
        .await;
    }
    with_cookie(
        Redirect::to("/login?notice=signed-out"),
        clear_cookie_header(&auth.cookie),
    )
}

fn failure_entry(account: &str, ip: IpAddr, reason: &str) -> NewAuditEntry {
    // The attempted name, cut short: it is what someone typed, not a known account.
    let name: String = account.chars().take(64).collect();
    let name = if name.is_empty() {
        "(empty)".to_string()
    } else {
        name
    };
    NewAuditEntry::new(name, "login_failed", Outcome::Failure)
        .source_ip(ip)
        .details(serde_json::json!({ "reason": reason }))
}

async fn record(auth: &AuthServices, entry: NewAuditEntry) {
    auth.audit(entry).await;
}

fn with_cookie(redirect: Redirect, cookie: String) -> Response {
    let mut response = redirect.into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}
