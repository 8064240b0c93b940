//! Authentication: API tokens, tickets (cookie or header) and CSRF tokens
//! (pve-http-server `AnyEvent.pm`, pve-access-control `AccessControl.pm`).

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use http::HeaderMap;

use super::reply::ApiError;
use crate::sim::now;
use crate::state::SimState;
use crate::state::perms::AuthId;

/// Tickets and CSRF tokens live 2 h; a 5-minute clock grace applies to future timestamps.
pub const TICKET_LIFETIME: i64 = 7200;
const GRACE: i64 = 300;

/// How a request authenticated.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub who: AuthId,
    /// Ticket logins need a CSRF token on non-GET calls; tokens don't.
    pub by_ticket: bool,
}

fn sign(key: &str, data: &str) -> Vec<u8> {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key.as_bytes());
    ring::hmac::sign(&key, data.as_bytes()).as_ref().to_vec()
}

/// `PVE:<userid>:<8 hex>::<signature>` (the real one is RSA-signed; an HMAC looks alike).
pub fn make_ticket(key: &str, userid: &str, at: i64) -> String {
    let plain = format!("PVE:{userid}:{at:08X}");
    format!("{plain}::{}", STANDARD.encode(sign(key, &plain)))
}

/// The user of a still-valid ticket.
pub fn verify_ticket(key: &str, ticket: &str) -> Option<String> {
    let (plain, sig) = ticket.split_once("::")?;
    let rest = plain.strip_prefix("PVE:")?;
    let (userid, ts) = rest.rsplit_once(':')?;
    let at = i64::from_str_radix(ts, 16).ok()?;
    let age = now() - at;
    let sig = STANDARD.decode(sig).ok()?;
    let valid = ring::hmac::verify(
        &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key.as_bytes()),
        plain.as_bytes(),
        &sig,
    )
    .is_ok();
    (valid && (-GRACE..TICKET_LIFETIME).contains(&age)).then(|| userid.to_string())
}

/// `<8 hex>:<43 base64 chars>`, bound to the user.
pub fn make_csrf(key: &str, userid: &str, at: i64) -> String {
    let ts = format!("{at:08X}");
    let sig = STANDARD_NO_PAD.encode(sign(key, &format!("{ts}:{userid}")));
    format!("{ts}:{sig}")
}

fn verify_csrf(key: &str, userid: &str, token: &str) -> bool {
    let Some((ts, _)) = token.split_once(':') else {
        return false;
    };
    let Ok(at) = i64::from_str_radix(ts, 16) else {
        return false;
    };
    let age = now() - at;
    (-GRACE..TICKET_LIFETIME).contains(&age) && make_csrf(key, userid, at) == token
}

fn cookie_ticket(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("PVEAuthCookie="))
        .map(|v| {
            url::form_urlencoded::parse(format!("x={}", v.replace('+', "%2B")).as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
}

/// Checks the credentials of a request (cookie first, then the Authorization header).
pub fn authenticate(state: &SimState, headers: &HeaderMap) -> Result<Authenticated, ApiError> {
    let authz = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    let ticket = cookie_ticket(headers).or_else(|| {
        authz
            .and_then(|a| a.strip_prefix("PVEAuthCookie="))
            .map(str::to_string)
    });
    if let Some(ticket) = ticket {
        let userid = verify_ticket(&state.auth_key, &ticket)
            .ok_or(ApiError::Unauthorized("Authentication failed!"))?;
        if !state.user(&userid).is_some_and(|u| u.enabled) {
            return Err(ApiError::Unauthorized("Authentication failed!"));
        }
        return Ok(Authenticated {
            who: AuthId {
                user: userid,
                token: None,
            },
            by_ticket: true,
        });
    }
    let token = authz.and_then(|a| {
        a.strip_prefix("PVEAPIToken=")
            .or_else(|| a.strip_prefix("PVEAPIToken "))
    });
    let Some(token) = token else {
        return Err(ApiError::Unauthorized("No ticket"));
    };
    // The token id is everything before the last '='.
    let (full, secret) = token
        .rsplit_once('=')
        .ok_or(ApiError::Unauthorized("Authentication failed!"))?;
    let (userid, tokenid) = full
        .split_once('!')
        .ok_or(ApiError::Unauthorized("Authentication failed!"))?;
    let user = state
        .user(userid)
        .filter(|u| u.enabled)
        .ok_or(ApiError::Unauthorized("Authentication failed!"))?;
    let tok = user
        .tokens
        .iter()
        .find(|t| t.id == tokenid && t.secret == secret)
        .ok_or(ApiError::Unauthorized("Authentication failed!"))?;
    if tok.expire != 0 && tok.expire <= now() {
        // Real reason: "token '…' access expired" — surfaces as the generic 401.
        return Err(ApiError::Unauthorized("Authentication failed!"));
    }
    Ok(Authenticated {
        who: AuthId {
            user: userid.to_string(),
            token: Some(tokenid.to_string()),
        },
        by_ticket: false,
    })
}

/// The CSRF check for ticket-authenticated non-GET calls.
pub fn check_csrf(
    state: &SimState,
    auth: &Authenticated,
    headers: &HeaderMap,
) -> Result<(), ApiError> {
    let token = headers
        .get("CSRFPreventionToken")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if verify_csrf(&state.auth_key, &auth.who.user, token) {
        Ok(())
    } else {
        Err(ApiError::Unauthorized(
            "Permission denied - invalid csrf token",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_and_csrf_round_trip() {
        let t = make_ticket("k", "root@pam", now());
        assert!(t.starts_with("PVE:root@pam:"));
        assert_eq!(verify_ticket("k", &t).as_deref(), Some("root@pam"));
        assert!(verify_ticket("other", &t).is_none());
        assert!(verify_ticket("k", &make_ticket("k", "root@pam", now() - 7300)).is_none());
        let c = make_csrf("k", "root@pam", now());
        assert_eq!(c.split_once(':').map(|(_, s)| s.len()), Some(43));
        assert!(verify_csrf("k", "root@pam", &c));
        assert!(!verify_csrf("k", "other@pve", &c));
    }
}
