//! The checks themselves, and the refusal a user gets to read.

use super::{Action, Principal, Via};
use berth_domain::Role;
use std::fmt;

/// Why an action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForbiddenReason {
    /// The caller's role is too low; this is the least role that would do.
    Role(Role),
    /// The action is not available through an API token.
    ApiToken,
}

/// A refusal. `Display` is safe to show to the caller: it names the action and what is missing,
/// nothing about the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forbidden {
    pub action: Action,
    pub reason: ForbiddenReason,
}

impl fmt::Display for Forbidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reason {
            ForbiddenReason::Role(role) => {
                write!(f, "You need the {role} role to {}.", self.action.phrase())
            }
            ForbiddenReason::ApiToken => write!(
                f,
                "API tokens cannot be used to {}; sign in to Berth instead.",
                self.action.phrase()
            ),
        }
    }
}

impl std::error::Error for Forbidden {}

/// Allows `action` if the principal's role includes the action's required role (and, through an
/// API token, if tokens may do it at all).
pub fn require(principal: &Principal, action: Action) -> Result<(), Forbidden> {
    if principal.via == Via::ApiToken && !action.allowed_via_token() {
        return Err(Forbidden {
            action,
            reason: ForbiddenReason::ApiToken,
        });
    }
    let required = action.required_role();
    if principal.role.includes(required) {
        Ok(())
    } else {
        Err(Forbidden {
            action,
            reason: ForbiddenReason::Role(required),
        })
    }
}

/// For a resource with an owner: the owner needs only the own-resource counterpart of
/// `action_for_others` (an operator manages their own container); everyone else needs
/// `action_for_others` itself (an admin manages anyone's).
pub fn require_owner_or(
    principal: &Principal,
    owner_id: uuid::Uuid,
    action_for_others: Action,
) -> Result<(), Forbidden> {
    require_own_or(principal, principal.user_id == owner_id, action_for_others)
}

/// Like [`require_owner_or`] when "own" is wider than ownership: pass `is_own = true` for a
/// resource the principal owns or that has been shared with them.
pub fn require_own_or(
    principal: &Principal,
    is_own: bool,
    action_for_others: Action,
) -> Result<(), Forbidden> {
    let action = match action_for_others.own_counterpart() {
        Some(own) if is_own => own,
        _ => action_for_others,
    };
    require(principal, action)
}
