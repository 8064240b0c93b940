//! The pending sign-in between `/start` and `/callback`: `state`, `nonce` and the PKCE verifier
//! live in Redis for ten minutes under a random id, and only that id goes to the browser, in a
//! short-lived pre-login cookie (HttpOnly, SameSite=Lax so it comes back with the provider's
//! cross-site redirect, Secure on https). The callback takes the flow out of Redis atomically, so
//! each one is used at most once, whatever happens next.

use berth_auth::session::{CookieConfig, SessionId};
use fred::prelude::{Client, Expiration, KeysInterface};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How long a sign-in may take at the provider.
pub const FLOW_TTL: Duration = Duration::from_secs(600);
const COOKIE: &str = "berth_oidc_flow";
const SECURE_COOKIE: &str = "__Host-berth_oidc_flow";

/// What the callback must match. Secret values: never logged (no `Debug` of the values).
#[derive(Serialize, Deserialize)]
pub struct PendingFlow {
    pub provider: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// Where to go after signing in (already checked to stay on this site).
    pub next: String,
}

impl std::fmt::Debug for PendingFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingFlow")
            .field("provider", &self.provider)
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
pub struct FlowStore {
    redis: Client,
    prefix: String,
    cookie: CookieConfig,
}

impl std::fmt::Debug for FlowStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlowStore")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl FlowStore {
    pub fn new(redis: Client, prefix: &str, cookie: CookieConfig) -> Self {
        Self {
            redis,
            prefix: prefix.to_string(),
            cookie,
        }
    }

    fn key(&self, id: &SessionId) -> String {
        format!("{}oidc-flow:{}", self.prefix, id.expose())
    }

    /// Stores the flow; returns the `Set-Cookie` value that binds it to this browser.
    pub async fn begin(&self, flow: &PendingFlow) -> anyhow::Result<String> {
        let id = SessionId::generate()?;
        let json = serde_json::to_string(flow)?;
        let ttl = i64::try_from(FLOW_TTL.as_secs())?;
        let _: () = self
            .redis
            .set(self.key(&id), json, Some(Expiration::EX(ttl)), None, false)
            .await?;
        Ok(format!(
            "{}={}; Max-Age={ttl}; {}",
            self.cookie_name(),
            id.expose(),
            self.attributes()
        ))
    }

    /// Takes (and deletes) the flow named by the request's pre-login cookie. `None` when there is
    /// no cookie, a malformed one, or the flow expired or was used already.
    pub async fn take(&self, cookie_header: Option<&str>) -> anyhow::Result<Option<PendingFlow>> {
        let Some(id) = cookie_header.and_then(|h| self.flow_id(h)) else {
            return Ok(None);
        };
        let json: Option<String> = self.redis.getdel(self.key(&id)).await?;
        Ok(match json {
            Some(json) => Some(serde_json::from_str(&json)?),
            None => None,
        })
    }

    /// The `Set-Cookie` value that removes the pre-login cookie.
    pub fn clear_cookie(&self) -> String {
        format!("{}=; Max-Age=0; {}", self.cookie_name(), self.attributes())
    }

    fn flow_id(&self, header: &str) -> Option<SessionId> {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == self.cookie_name())
            .and_then(|(_, value)| SessionId::parse(value))
    }

    fn cookie_name(&self) -> &'static str {
        if self.cookie.is_secure() {
            SECURE_COOKIE
        } else {
            COOKIE
        }
    }

    fn attributes(&self) -> &'static str {
        if self.cookie.is_secure() {
            "Path=/; HttpOnly; SameSite=Lax; Secure"
        } else {
            "Path=/; HttpOnly; SameSite=Lax"
        }
    }
}
