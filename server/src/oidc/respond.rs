//! How the OIDC routes answer: the failure redirect (audited), cookies, and small checks.

use super::Oidc;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use berth_db::audit::{NewAuditEntry, Outcome};
use std::net::IpAddr;
use uuid::Uuid;

/// Where every failed single sign-on lands; the page says "Single sign-on failed…".
pub const FAILED: &str = "/login?error=sso";

/// Audits `login_failed` with the reason and sends the browser to [`FAILED`], forgetting the
/// pre-login cookie. `user` is the account when it is known (e.g. a disabled one).
pub async fn fail(
    oidc: &Oidc,
    ip: IpAddr,
    provider: &str,
    reason: &str,
    user: Option<Uuid>,
) -> Response {
    tracing::info!(provider, reason, "single sign-on refused");
    let provider: String = provider.chars().take(32).collect();
    let mut entry =
        NewAuditEntry::new(format!("oidc:{provider}"), "login_failed", Outcome::Failure)
            .source_ip(ip)
            .details(serde_json::json!({
                "method": "oidc",
                "provider": provider,
                "reason": reason,
            }));
    if let Some(user) = user {
        entry = entry.actor(user);
    }
    record(oidc, entry).await;
    with_cookies(Redirect::to(FAILED), &[oidc.inner.flows.clear_cookie()])
}

pub async fn record(oidc: &Oidc, entry: NewAuditEntry) {
    oidc.inner.auth.audit(entry).await;
}

pub fn with_cookies(redirect: Redirect, cookies: &[String]) -> Response {
    let mut response = redirect.into_response();
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}
