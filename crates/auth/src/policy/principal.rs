//! Who a request acts for, once authenticated.

use berth_domain::Role;
use uuid::Uuid;

/// How the request proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// A browser session cookie.
    Session,
    /// A personal API token (`Authorization: Bearer`).
    ApiToken,
}

/// The authenticated caller. For [`Via::ApiToken`], `role` must already be the token's effective
/// role ([`crate::api_token::effective_role`]), not the owner's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: Uuid,
    pub username: String,
    pub role: Role,
    pub via: Via,
}
