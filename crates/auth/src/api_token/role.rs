//! A token never carries more authority than its owner has right now.

use berth_domain::Role;

/// The role a request made with a token acts with: the token's role, capped by the owner's current
/// role (an owner demoted after creating an admin token loses admin through it too).
pub fn effective_role(token_role: Role, owner_role: Role) -> Role {
    token_role.min(owner_role)
}

/// Refused: a token was requested with a role above its owner's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("A token's role cannot be higher than your own role ({owner}); choose {owner} or lower.")]
pub struct RoleTooHigh {
    pub requested: Role,
    pub owner: Role,
}

/// Checks the role asked for when a token is created.
pub fn validate_requested_role(requested: Role, owner: Role) -> Result<(), RoleTooHigh> {
    if owner.includes(requested) {
        Ok(())
    } else {
        Err(RoleTooHigh { requested, owner })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::{Admin, Operator, Viewer};

    #[test]
    fn the_effective_role_is_the_lower_of_token_and_owner() {
        // (token, owner, effective), written out rather than computed.
        let table = [
            (Viewer, Viewer, Viewer),
            (Viewer, Operator, Viewer),
            (Viewer, Admin, Viewer),
            (Operator, Viewer, Viewer),
            (Operator, Operator, Operator),
            (Operator, Admin, Operator),
            (Admin, Viewer, Viewer),
            (Admin, Operator, Operator),
            (Admin, Admin, Admin),
        ];
        for (token, owner, expected) in table {
            assert_eq!(
                effective_role(token, owner),
                expected,
                "{token} token of a {owner}"
            );
        }
    }

    #[test]
    fn a_token_may_not_be_requested_above_the_owner() {
        assert_eq!(validate_requested_role(Viewer, Operator), Ok(()));
        assert_eq!(validate_requested_role(Operator, Operator), Ok(()));
        assert_eq!(validate_requested_role(Admin, Admin), Ok(()));
        let err = validate_requested_role(Admin, Operator).unwrap_err();
        assert_eq!(
            err,
            RoleTooHigh {
                requested: Admin,
                owner: Operator
            }
        );
        assert_eq!(
            err.to_string(),
            "A token's role cannot be higher than your own role (operator); choose operator or lower."
        );
        assert!(validate_requested_role(Operator, Viewer).is_err());
    }
}
