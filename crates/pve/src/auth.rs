//! Credentials, and the ticket a password login yields with the rules for renewing it
//! (PVE-API.md §2.1: valid 2 h; renew by logging in with the ticket as password).

use crate::perl;
use crate::secret::Secret;
use serde::Deserialize;
use std::time::{Duration, Instant};

/// How the client authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// An API token (preferred): `Authorization: PVEAPIToken=user@realm!tokenid=secret`.
    /// No login, no CSRF token, no TFA.
    Token { token_id: String, secret: Secret },
    /// A password login (`POST /access/ticket`) for a non-root user; the ticket is sent as the
    /// `PVEAuthCookie` cookie with a `CSRFPreventionToken` header on writes, and renewed.
    Password { username: String, password: Secret },
}

impl Credentials {
    /// `token_id` is `user@realm!tokenid`.
    pub fn token(token_id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Credentials::Token {
            token_id: token_id.into(),
            secret: secret.into(),
        }
    }

    /// Parses `user@realm!tokenid=secret` (or with a leading `PVEAPIToken=`): the token id is
    /// everything before the last `=`, as the server reads it.
    pub fn parse_token(text: &str) -> Option<Self> {
        let text = text.strip_prefix("PVEAPIToken=").unwrap_or(text);
        let (id, secret) = text.rsplit_once('=')?;
        (id.contains('@') && id.contains('!') && !secret.is_empty())
            .then(|| Credentials::token(id, secret))
    }

    /// `username` is `user@realm`.
    pub fn password(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Credentials::Password {
            username: username.into(),
            password: password.into(),
        }
    }
}

/// When a ticket is renewed or replaced. Defaults follow proxmox-login: valid for 7200 s,
/// renewed during its last 1800 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketPolicy {
    /// Age after which the next call first renews the ticket.
    pub refresh_after: Duration,
    /// Age after which the ticket is no longer used; the client logs in with the password.
    pub expire_after: Duration,
}

impl Default for TicketPolicy {
    fn default() -> Self {
        Self {
            refresh_after: Duration::from_secs(7200 - 1800),
            expire_after: Duration::from_secs(7200),
        }
    }
}

/// A ticket and its CSRF token, with the local time they were obtained.
#[derive(Debug, Clone)]
pub(crate) struct Ticket {
    pub(crate) ticket: Secret,
    pub(crate) csrf: Secret,
    /// Local monotonic time, so a skewed server clock cannot make it look fresh or stale.
    pub(crate) obtained: Instant,
}

/// What to do with the cached ticket before a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TicketAction {
    Use,
    Renew,
    Login,
}

pub(crate) fn ticket_action(
    ticket: Option<&Ticket>,
    policy: TicketPolicy,
    now: Instant,
) -> TicketAction {
    match ticket {
        None => TicketAction::Login,
        Some(t) => {
            let age = now.saturating_duration_since(t.obtained);
            if age >= policy.expire_after {
                TicketAction::Login
            } else if age >= policy.refresh_after {
                TicketAction::Renew
            } else {
                TicketAction::Use
            }
        }
    }
}

/// The `data` of `POST /access/ticket`.
#[derive(Debug, Deserialize)]
pub(crate) struct TicketResponse {
    #[serde(default)]
    pub(crate) ticket: Option<String>,
    #[serde(rename = "CSRFPreventionToken", default)]
    pub(crate) csrf: Option<String>,
    /// Set (with a half-ticket `PVE:!tfa!…`) when a second factor is required.
    #[serde(rename = "NeedTFA", default, deserialize_with = "perl::boolean")]
    pub(crate) need_tfa: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_parsing_splits_at_the_last_equals() {
        let c = Credentials::parse_token("PVEAPIToken=dash@pve!prov=0b5ee0a8-4d40").unwrap();
        assert_eq!(c, Credentials::token("dash@pve!prov", "0b5ee0a8-4d40"));
        assert!(Credentials::parse_token("dash@pve=abc").is_none());
        assert!(Credentials::parse_token("dash@pve!prov=").is_none());
        assert!(!format!("{c:?}").contains("0b5ee0a8"));
    }

    #[test]
    fn renewal_window() {
        let policy = TicketPolicy::default();
        let now = Instant::now();
        let at = |age: u64| Ticket {
            ticket: Secret::new("PVE:u@pve:4EEC61E2::sig"),
            csrf: Secret::new("4EEC61E2:abc"),
            obtained: now - Duration::from_secs(age),
        };
        assert_eq!(ticket_action(None, policy, now), TicketAction::Login);
        assert_eq!(ticket_action(Some(&at(60)), policy, now), TicketAction::Use);
        assert_eq!(
            ticket_action(Some(&at(5399)), policy, now),
            TicketAction::Use
        );
        assert_eq!(
            ticket_action(Some(&at(5400)), policy, now),
            TicketAction::Renew
        );
        assert_eq!(
            ticket_action(Some(&at(7199)), policy, now),
            TicketAction::Renew
        );
        assert_eq!(
            ticket_action(Some(&at(7200)), policy, now),
            TicketAction::Login
        );
    }

    #[test]
    fn tfa_reply_is_detected() {
        let r: TicketResponse = serde_json::from_str(
            r#"{"username":"u@pve","ticket":"PVE:!tfa!%7B%22totp%22%3Atrue%7D:4EEC61E2::sig","NeedTFA":1,"CSRFPreventionToken":"4EEC61E2:x"}"#,
        )
        .unwrap();
        assert!(r.need_tfa);
        let ok: TicketResponse =
            serde_json::from_str(r#"{"username":"u@pve","ticket":"PVE:u@pve:4EEC61E2::sig","CSRFPreventionToken":"4EEC61E2:x","cap":{}}"#)
                .unwrap();
        assert!(!ok.need_tfa);
    }
}
