//! The session store: create, look up (enforcing idle and absolute expiry), rotate, list and revoke.

use super::{Session, SessionConfig, SessionId, SessionMeta};
use crate::random::RandomError;
use chrono::Utc;
use fred::prelude::{Client, Expiration, KeysInterface, SetOptions, SetsInterface, Value};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("redis: {0}")]
    Redis(#[from] fred::error::Error),
    #[error(transparent)]
    Random(#[from] RandomError),
    #[error("could not encode a session: {0}")]
    Encode(#[from] serde_json::Error),
}

/// Sessions in Redis. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct SessionStore {
    client: Client,
    config: Arc<SessionConfig>,
}

impl fmt::Debug for SessionStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionStore")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl SessionStore {
    pub fn new(client: Client, config: SessionConfig) -> Self {
        Self {
            client,
            config: Arc::new(config),
        }
    }

    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    fn session_key(&self, id: &SessionId) -> String {
        format!("{}session:{}", self.config.prefix, id.expose())
    }

    fn index_key(&self, user_id: Uuid) -> String {
        format!("{}user-sessions:{user_id}", self.config.prefix)
    }

    /// Starts a session for a user who has just proven who they are. Always a fresh id: a session
    /// id that existed before sign-in is never promoted (that would allow session fixation).
    pub async fn create(
        &self,
        user_id: Uuid,
        meta: SessionMeta,
    ) -> Result<(SessionId, Session), SessionError> {
        let id = SessionId::generate()?;
        let session = Session::new(user_id, meta, Utc::now());
        self.insert(&id, &session).await?;
        Ok((id, session))
    }

    /// Writes the session with its TTL and adds it to the user's index, in one round trip.
    async fn insert(&self, id: &SessionId, session: &Session) -> Result<(), SessionError> {
        let json = serde_json::to_string(session)?;
        let ttl = session
            .time_left(&self.config, Utc::now())
            .unwrap_or(Duration::from_millis(1));
        let index = self.index_key(session.user_id);
        let pipeline = self.client.pipeline();
        let _: () = pipeline
            .set(self.session_key(id), json, Some(px(ttl)), None, false)
            .await?;
        let _: () = pipeline.sadd(&index, id.expose()).await?;
        // No session of this user outlives the newest one's absolute lifetime, nor does its index.
        let _: () = pipeline
            .pexpire(&index, millis(self.config.absolute_lifetime), None)
            .await?;
        let _: Vec<Value> = pipeline.all().await?;
        Ok(())
    }

    /// The live session for `id`, marked as used now (unless it was within
    /// [`SessionConfig::touch_after`]). An idle or too old session is deleted and
    /// reported as `None`, exactly like an unknown one.
    pub async fn get(&self, id: &SessionId) -> Result<Option<Session>, SessionError> {
        let key = self.session_key(id);
        let Some(mut session) = self.read(&key).await? else {
            return Ok(None);
        };
        let now = Utc::now();
        if session.time_left(&self.config, now).is_none() {
            self.remove(id, session.user_id).await?;
            return Ok(None);
        }
        // Writing the time back is a second round trip on every request: it is done once the
        // recorded time is a little old, so a session may go idle that much early, never late.
        let since = (now - session.last_seen_at).to_std().unwrap_or_default();
        if since < self.config.touch_after() {
            return Ok(Some(session));
        }
        session.last_seen_at = now;
        let ttl = session
            .time_left(&self.config, now)
            .unwrap_or(Duration::from_millis(1));
        let json = serde_json::to_string(&session)?;
        // XX: if the session was revoked since the read above, it must stay revoked.
        let written: Option<String> = self
            .client
            .set(&key, json, Some(px(ttl)), Some(SetOptions::XX), false)
            .await?;
        Ok(written.map(|_| session))
    }

    /// Replaces `old` with a new id carrying the same session (same user, same sign-in time, so
    /// the absolute lifetime is not extended). `None` if `old` is unknown or expired. Because the
    /// old id is taken with GETDEL, two concurrent rotations cannot both succeed.
    pub async fn rotate(&self, old: &SessionId) -> Result<Option<SessionId>, SessionError> {
        let new = SessionId::generate()?;
        let raw: Option<String> = self.client.getdel(self.session_key(old)).await?;
        let Some(mut session) = raw.as_deref().and_then(decode) else {
            return Ok(None);
        };
        let _: i64 = self
            .client
            .srem(self.index_key(session.user_id), old.expose())
            .await?;
        let now = Utc::now();
        if session.time_left(&self.config, now).is_none() {
            return Ok(None);
        }
        session.last_seen_at = now;
        self.insert(&new, &session).await?;
        Ok(Some(new))
    }

    /// Ends a session (logout). Returns whether it existed.
    pub async fn delete(&self, id: &SessionId) -> Result<bool, SessionError> {
        let raw: Option<String> = self.client.getdel(self.session_key(id)).await?;
        if let Some(session) = raw.as_deref().and_then(decode) {
            let _: i64 = self
                .client
                .srem(self.index_key(session.user_id), id.expose())
                .await?;
        }
        Ok(raw.is_some())
    }

    /// The user's live sessions, most recently used first. Index entries whose session is gone
    /// (expired in Redis, or past its idle or absolute limit) are removed on the way.
    pub async fn list_for_user(
        &self,
        user_id: Uuid,
    ) -> Result<Vec<(SessionId, Session)>, SessionError> {
        let index = self.index_key(user_id);
        let members: Vec<String> = self.client.smembers(&index).await?;
        let mut stale: Vec<String> = Vec::new();
        let mut ids: Vec<SessionId> = Vec::new();
        for member in members {
            match SessionId::parse(&member) {
                Some(id) => ids.push(id),
                None => stale.push(member),
            }
        }
        let mut live = Vec::new();
        let mut expired_keys = Vec::new();
        if !ids.is_empty() {
            let keys: Vec<String> = ids.iter().map(|id| self.session_key(id)).collect();
            let values: Vec<Option<String>> = self.client.mget(keys.clone()).await?;
            let now = Utc::now();
            for ((id, key), raw) in ids.into_iter().zip(keys).zip(values) {
                match raw.as_deref().and_then(decode) {
                    Some(s) if s.user_id == user_id && s.time_left(&self.config, now).is_some() => {
                        live.push((id, s));
                    }
                    Some(s) if s.user_id == user_id => {
                        expired_keys.push(key);
                        stale.push(id.expose().to_string());
                    }
                    _ => stale.push(id.expose().to_string()),
                }
            }
        }
        if !expired_keys.is_empty() {
            let _: i64 = self.client.del(expired_keys).await?;
        }
        if !stale.is_empty() {
            let _: i64 = self.client.srem(&index, stale).await?;
        }
        live.sort_by_key(|(_, session)| std::cmp::Reverse(session.last_seen_at));
        Ok(live)
    }

    /// Ends one session of `user_id` ("sign out that device"). A session of anyone else is left
    /// alone and reported as `false`, so a user cannot end other people's sessions by id.
    pub async fn revoke(&self, user_id: Uuid, id: &SessionId) -> Result<bool, SessionError> {
        let key = self.session_key(id);
        match self.read(&key).await? {
            Some(session) if session.user_id == user_id => {
                self.remove(id, user_id).await?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Ends every session of a user (disabled account, password reset). Returns how many ended.
    pub async fn revoke_all(&self, user_id: Uuid) -> Result<usize, SessionError> {
        let index = self.index_key(user_id);
        let members: Vec<String> = self.client.smembers(&index).await?;
        if members.is_empty() {
            return Ok(0);
        }
        let keys: Vec<String> = members
            .iter()
            .filter_map(|m| SessionId::parse(m))
            .map(|id| self.session_key(&id))
            .collect();
        let ended: i64 = if keys.is_empty() {
            0
        } else {
            self.client.del(keys).await?
        };
        // Only the members seen above: a session created meanwhile keeps its index entry.
        let _: i64 = self.client.srem(&index, members).await?;
        Ok(usize::try_from(ended).unwrap_or_default())
    }

    async fn read(&self, key: &str) -> Result<Option<Session>, SessionError> {
        let raw: Option<String> = self.client.get(key).await?;
        Ok(raw.as_deref().and_then(decode))
    }

    async fn remove(&self, id: &SessionId, user_id: Uuid) -> Result<(), SessionError> {
        let pipeline = self.client.pipeline();
        let _: () = pipeline.del(self.session_key(id)).await?;
        let _: () = pipeline.srem(self.index_key(user_id), id.expose()).await?;
        let _: Vec<Value> = pipeline.all().await?;
        Ok(())
    }
}

/// Unreadable data (a foreign value, an incompatible older format) counts as no session.
fn decode(raw: &str) -> Option<Session> {
    serde_json::from_str(raw)
        .inspect_err(|error| tracing::warn!(%error, "ignoring an unreadable session record"))
        .ok()
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis())
        .unwrap_or(i64::MAX)
        .max(1)
}

fn px(duration: Duration) -> Expiration {
    Expiration::PX(millis(duration))
}
