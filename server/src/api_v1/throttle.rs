//! Throttling of failed API-token attempts per client address (see
//! [`berth_auth::throttle::TokenThrottle`]): the gate in front of the token lookup, and the count
//! after a failure.
//!
//! Failures are not audited one by one: a script retrying with a revoked token would bury the
//! audit trail. The trail gets one `token.throttled` entry per address and window, written by
//! the failure that reaches the limit; each failure is only logged at debug level.

use super::ApiError;
use crate::auth::AuthServices;
use berth_auth::throttle::ThrottleError;
use berth_db::audit::{NewAuditEntry, Outcome};
use std::net::IpAddr;

/// `Err(Throttled)` while `ip` has used up its failed attempts. A Redis outage lets requests
/// through (with a warning), as for sign-in: the throttle must not take the API down with it.
pub async fn gate(auth: &AuthServices, ip: IpAddr) -> Result<(), ApiError> {
    match auth.token_throttle.check(ip).await {
        Ok(()) => Ok(()),
        Err(ThrottleError::Throttled(throttled)) => Err(ApiError::Throttled(throttled)),
        Err(error) => {
            tracing::warn!(%error, "API token throttle unavailable; continuing without it");
            Ok(())
        }
    }
}

/// Counts a failed token attempt from `ip`; audits and logs the one that reaches the limit.
pub async fn count_failure(auth: &AuthServices, ip: IpAddr) {
    let reached = match auth.token_throttle.record_failure(ip).await {
        Ok(reached) => reached,
        Err(error) => {
            tracing::warn!(%error, "cannot count a failed API token attempt");
            return;
        }
    };
    tracing::debug!(%ip, "failed API token attempt");
    if !reached {
        return;
    }
    let config = auth.token_throttle.config();
    tracing::warn!(%ip, failures = config.ip_limit, "API token attempts from this address throttled");
    let entry = NewAuditEntry::new("(unknown)", "token.throttled", Outcome::Failure)
        .source_ip(ip)
        .details(serde_json::json!({
            "failures": config.ip_limit,
            "window_secs": config.ip_window.as_secs(),
        }));
    auth.audit(entry).await;
}
