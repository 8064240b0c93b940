//! Everything sign-in needs, built once at start-up and shared by the middleware and routes.

use berth_auth::password::Hasher;
use berth_auth::policy::{Principal, Via};
use berth_auth::session::{
    CookieConfig, SessionConfig, SessionId, SessionStore, session_id_from_cookie_header,
};
use berth_auth::throttle::{LoginThrottle, ThrottleConfig, TokenThrottle, TokenThrottleConfig};
use berth_db::audit::{self, NewAuditEntry};
use berth_domain::CurrentUser;
use fred::prelude::Client as RedisClient;
use http::HeaderMap;
use std::time::Duration;

#[derive(Clone)]
pub struct AuthServices {
    pub db: berth_db::Pool,
    pub sessions: SessionStore,
    pub throttle: LoginThrottle,
    /// Failed API-token attempts per source address (the REST API).
    pub token_throttle: TokenThrottle,
    pub hasher: Hasher,
    pub cookie: CookieConfig,
}

impl std::fmt::Debug for AuthServices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthServices")
            .field("cookie", &self.cookie)
            .finish_non_exhaustive()
    }
}

impl AuthServices {
    /// `key_prefix` namespaces the Redis keys (tests use their own).
    pub fn new(
        db: berth_db::Pool,
        redis: RedisClient,
        cookie: CookieConfig,
        key_prefix: &str,
        idle_timeout: Duration,
        absolute_lifetime: Duration,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            db,
            sessions: SessionStore::new(
                redis.clone(),
                SessionConfig {
                    prefix: key_prefix.to_string(),
                    idle_timeout,
                    absolute_lifetime,
                },
            ),
            throttle: LoginThrottle::new(
                redis.clone(),
                ThrottleConfig {
                    prefix: key_prefix.to_string(),
                    ..ThrottleConfig::default()
                },
            ),
            token_throttle: TokenThrottle::new(
                redis,
                TokenThrottleConfig {
                    prefix: key_prefix.to_string(),
                    ..TokenThrottleConfig::default()
                },
            ),
            hasher: Hasher::new(Default::default())?,
            cookie,
        })
    }

    /// Opens the session of a user who just proved who they are (password or SSO): a fresh id
    /// every time (no session fixation), the browser's previous session ended, the sign-in time
    /// recorded.
    pub async fn open_session(
        &self,
        user_id: uuid::Uuid,
        ip: std::net::IpAddr,
        headers: &HeaderMap,
    ) -> Result<SessionId, berth_auth::session::SessionError> {
        if let Some(old) = self.session_id(headers) {
            let _ = self.sessions.delete(&old).await;
        }
        let meta = berth_auth::session::SessionMeta {
            ip: Some(ip),
            user_agent: headers
                .get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        };
        let (id, _) = self.sessions.create(user_id, meta).await?;
        if let Ok(mut conn) = self.db.get().await {
            let _ = berth_db::users::touch_last_login(&mut conn, user_id).await;
        }
        Ok(id)
    }

    /// Writes an audit entry on its own (no transaction to join). A failure is logged, not
    /// returned: the request it records has already been answered or refused.
    pub async fn audit(&self, entry: NewAuditEntry) {
        let outcome = match self.db.get().await {
            Ok(mut conn) => audit::insert(&mut conn, &entry).await.map(|_| ()),
            Err(error) => Err(error.into()),
        };
        if let Err(error) = outcome {
            tracing::error!(%error, action = %entry.action, "cannot write the audit entry");
        }
    }

    pub fn session_id(&self, headers: &HeaderMap) -> Option<SessionId> {
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find_map(|value| session_id_from_cookie_header(value, &self.cookie))
    }

    /// The principal of a live session whose user is still active. Checked on every request,
    /// so disabling a user takes effect at once even for sessions still in Redis.
    pub async fn resolve(&self, headers: &HeaderMap) -> Option<(Principal, CurrentUser)> {
        let id = self.session_id(headers)?;
        let session = match self.sessions.get(&id).await {
            Ok(session) => session?,
            Err(error) => {
                tracing::warn!(%error, "cannot read the session store; treating as signed out");
                return None;
            }
        };
        let user = match self.db.get().await {
            Ok(mut conn) => berth_db::users::find_by_id(&mut conn, session.user_id).await,
            Err(error) => Err(error.into()),
        };
        let user = match user {
            Ok(Some(user)) if user.disabled_at.is_none() => user,
            Ok(_) => {
                // Gone or disabled: the session must not outlive the account.
                let _ = self.sessions.delete(&id).await;
                return None;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot look up the session's user");
                return None;
            }
        };
        Some((
            Principal {
                user_id: user.id,
                username: user.username.clone(),
                role: user.role,
                via: Via::Session,
            },
            CurrentUser {
                username: user.username,
                display_name: user.display_name,
                role: user.role,
            },
        ))
    }
}
