//! Authentication of the REST API: a personal API token in `Authorization: Bearer`, nothing else.
//!
//! The token is found by its non-secret lookup id (revoked and expired tokens and disabled owners
//! are filtered out by the query), its hash compared in constant time, and the request acts with
//! the lower of the token's and the owner's current role. Failed attempts are counted per client
//! address, and an address with too many is refused before any lookup ([`super::throttle`]).

use super::{ApiError, throttle};
use crate::auth::AuthServices;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use berth_auth::api_token::{effective_role, parse_bearer, verify};
use berth_auth::policy::{Principal, Via};
use berth_db::api_tokens;
use berth_domain::{CurrentUser, Role};
use chrono::{DateTime, TimeDelta, Utc};
use std::net::SocketAddr;
use uuid::Uuid;

/// `last_used_at` is written at most this often per token, not on every request.
const TOUCH_EVERY: TimeDelta = TimeDelta::seconds(60);

/// Who an API request comes from, put into the request by [`authenticate`].
#[derive(Debug, Clone)]
pub struct TokenCaller {
    /// `via` is always [`Via::ApiToken`]; `role` the effective role.
    pub principal: Principal,
    pub display_name: String,
    pub token_id: Uuid,
    pub token_name: String,
    /// The role the token was created with (before capping by the owner's role).
    pub token_role: Role,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Lets a request through only with a usable token. A session principal that the cookie
/// middleware in front may have found is removed first: sessions do not work on this API.
///
/// A request that presents credentials (any `Authorization` header) from a throttled address is
/// refused with 429 before the token is looked at; one whose token turns out unusable counts as
/// a failure. A request with no credentials at all is neither: it cannot be a guess.
pub async fn authenticate(
    State(auth): State<AuthServices>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut request: Request,
    next: Next,
) -> Response {
    request.extensions_mut().remove::<Principal>();
    request.extensions_mut().remove::<CurrentUser>();
    let ip = peer.ip();
    if request.headers().contains_key(header::AUTHORIZATION)
        && let Err(refused) = throttle::gate(&auth, ip).await
    {
        return refused.into_response();
    }
    match caller(&auth, request.headers()).await {
        Ok(caller) => {
            request.extensions_mut().insert(caller.principal.clone());
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Err(error) => {
            if matches!(error, ApiError::InvalidToken) {
                throttle::count_failure(&auth, ip).await;
            }
            error.into_response()
        }
    }
}

async fn caller(auth: &AuthServices, headers: &HeaderMap) -> Result<TokenCaller, ApiError> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return Err(if headers.contains_key(header::AUTHORIZATION) {
            ApiError::InvalidToken
        } else {
            ApiError::MissingToken
        });
    };
    let text = value.to_str().map_err(|_| ApiError::InvalidToken)?;
    let presented = parse_bearer(text).ok_or_else(|| {
        let bearer = text
            .trim_start()
            .get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("bearer "));
        if bearer {
            ApiError::InvalidToken
        } else {
            ApiError::MissingToken
        }
    })?;
    let mut conn = auth.db.get().await.map_err(ApiError::internal)?;
    let found = api_tokens::find_active_by_lookup(&mut conn, presented.lookup())
        .await
        .map_err(ApiError::internal)?;
    let Some((token, owner)) = found else {
        return Err(ApiError::InvalidToken);
    };
    if !verify(&presented, &token.secret_hash) {
        tracing::warn!(token = %token.id, "API token with a known lookup but a wrong secret");
        return Err(ApiError::InvalidToken);
    }
    let stale = token
        .last_used_at
        .is_none_or(|at| Utc::now() - at >= TOUCH_EVERY);
    if stale && let Err(error) = api_tokens::touch_last_used(&mut conn, token.id).await {
        tracing::warn!(%error, token = %token.id, "cannot record the token's use");
    }
    Ok(TokenCaller {
        principal: Principal {
            user_id: owner.id,
            username: owner.username.clone(),
            role: effective_role(token.role, owner.role),
            via: Via::ApiToken,
        },
        display_name: owner.display_name,
        token_id: token.id,
        token_name: token.name,
        token_role: token.role,
        expires_at: token.expires_at,
    })
}

impl<S: Send + Sync> FromRequestParts<S> for TokenCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<TokenCaller>()
            .cloned()
            .ok_or(ApiError::MissingToken)
    }
}

impl TokenCaller {
    /// The token's role allows `action`, or 403 naming the role needed.
    pub fn require(&self, action: berth_auth::policy::Action) -> Result<(), ApiError> {
        berth_auth::policy::require(&self.principal, action)
            .map_err(|denied| ApiError::Forbidden(denied.to_string()))
    }
}
