//! What a session holds, how long it lives, and the expiry arithmetic.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::time::Duration;
use uuid::Uuid;

/// Longest user agent kept; browsers send a few hundred bytes, anything longer is noise.
const MAX_USER_AGENT: usize = 512;

/// Where the store keeps its keys and how long sessions live.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// Prepended to every key, e.g. `berth:`. Tests use a unique prefix each.
    pub prefix: String,
    /// A session unused for this long ends.
    pub idle_timeout: Duration,
    /// A session ends this long after sign-in, however busy.
    pub absolute_lifetime: Duration,
}

impl SessionConfig {
    /// How old the recorded last use may get before a read writes it again: a sixtieth of the
    /// idle timeout, at most 30 s (30 s with the default 30 min).
    pub fn touch_after(&self) -> Duration {
        (self.idle_timeout / 60).min(Duration::from_secs(30))
    }
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            prefix: "berth:".to_string(),
            idle_timeout: Duration::from_secs(30 * 60),
            absolute_lifetime: Duration::from_secs(12 * 60 * 60),
        }
    }
}

/// Facts about the client that started a session, shown in "my sessions".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionMeta {
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
}

/// One signed-in browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub user_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
}

impl Session {
    pub(crate) fn new(user_id: Uuid, meta: SessionMeta, now: DateTime<Utc>) -> Self {
        let user_agent = meta.user_agent.map(|ua| truncate(ua, MAX_USER_AGENT));
        Self {
            user_id,
            created_at: now,
            last_seen_at: now,
            ip: meta.ip,
            user_agent,
        }
    }

    /// How long the session may stay unused from `now`: the smaller of the idle timeout and what
    /// is left of the absolute lifetime; `None` once either has run out.
    pub(crate) fn time_left(&self, config: &SessionConfig, now: DateTime<Utc>) -> Option<Duration> {
        let idle_end = self.last_seen_at + delta(config.idle_timeout);
        let absolute_end = self.created_at + delta(config.absolute_lifetime);
        let end = idle_end.min(absolute_end);
        // Whole milliseconds: Redis TTLs are in ms, and a zero TTL is an error there.
        let left = (end - now).num_milliseconds();
        (left > 0).then(|| Duration::from_millis(left.unsigned_abs()))
    }
}

fn delta(duration: Duration) -> TimeDelta {
    TimeDelta::from_std(duration).unwrap_or(TimeDelta::MAX)
}

fn truncate(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut cut = max;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(idle: u64, absolute: u64) -> SessionConfig {
        SessionConfig {
            prefix: "t:".into(),
            idle_timeout: Duration::from_secs(idle),
            absolute_lifetime: Duration::from_secs(absolute),
        }
    }

    #[test]
    fn defaults_are_thirty_minutes_idle_and_twelve_hours_absolute() {
        let config = SessionConfig::default();
        assert_eq!(config.idle_timeout, Duration::from_secs(1800));
        assert_eq!(config.absolute_lifetime, Duration::from_secs(43_200));
    }

    #[test]
    fn time_left_is_bounded_by_idle_and_by_absolute_lifetime() {
        let start = Utc::now();
        let mut session = Session::new(Uuid::new_v4(), SessionMeta::default(), start);
        let config = config(60, 100);
        assert_eq!(
            session.time_left(&config, start),
            Some(Duration::from_secs(60))
        );
        // Recently used, but close to the absolute end: the absolute end wins.
        session.last_seen_at = start + TimeDelta::seconds(80);
        assert_eq!(
            session.time_left(&config, start + TimeDelta::seconds(90)),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            session.time_left(&config, start + TimeDelta::seconds(100)),
            None
        );
        // Unused for longer than the idle timeout.
        session.last_seen_at = start;
        assert_eq!(
            session.time_left(&config, start + TimeDelta::seconds(60)),
            None
        );
        assert_eq!(
            session.time_left(&config, start + TimeDelta::seconds(59)),
            Some(Duration::from_secs(1))
        );
    }

    #[test]
    fn long_user_agents_are_cut_on_a_character_boundary() {
        let meta = SessionMeta {
            ip: None,
            user_agent: Some("é".repeat(400)),
        };
        let session = Session::new(Uuid::new_v4(), meta, Utc::now());
        let ua = session.user_agent.unwrap();
        assert!(ua.len() <= MAX_USER_AGENT);
        assert_eq!(
            ua.len(),
            MAX_USER_AGENT,
            "é is two bytes; 256 of them fit exactly"
        );
    }
}
