//! The role × action table, written out by hand so a change to the policy has to change it too.

use super::*;
use berth_domain::Role;
use uuid::Uuid;

const Y: bool = true;
const N: bool = false;

/// Expected outcome for a signed-in user: (action, viewer, operator, admin).
const EXPECTED: [(Action, bool, bool, bool); 16] = [
    (Action::ViewDashboard, Y, Y, Y),
    (Action::ViewContainers, Y, Y, Y),
    (Action::CreateContainer, N, Y, Y),
    (Action::ManageContainer, N, Y, Y),
    (Action::ManageAnyContainer, N, N, Y),
    (Action::ViewTemplates, Y, Y, Y),
    (Action::UseTemplate, N, Y, Y),
    (Action::ManageTemplates, N, N, Y),
    (Action::ViewBuckets, Y, Y, Y),
    (Action::ManageBuckets, N, N, Y),
    (Action::ViewAudit, N, N, Y),
    (Action::ManageUsers, N, N, Y),
    (Action::ManageSettings, N, N, Y),
    (Action::ManageOwnSessions, Y, Y, Y),
    (Action::ManageOwnTokens, Y, Y, Y),
    (Action::RevokeAnySession, N, N, Y),
];

fn principal(role: Role, via: Via) -> Principal {
    Principal {
        user_id: Uuid::new_v4(),
        username: format!("{role}-user"),
        role,
        via,
    }
}

#[test]
fn every_role_and_action_pair_matches_the_table() {
    // Every action appears exactly once, so a new action cannot be added without a row.
    for action in Action::ALL {
        let rows = EXPECTED.iter().filter(|row| row.0 == action).count();
        assert_eq!(rows, 1, "{action:?} must have exactly one row in EXPECTED");
    }
    assert_eq!(EXPECTED.len(), Action::ALL.len());
    let mut checked = 0;
    for (action, viewer, operator, admin) in EXPECTED {
        for (role, allowed) in [
            (Role::Viewer, viewer),
            (Role::Operator, operator),
            (Role::Admin, admin),
        ] {
            let outcome = require(&principal(role, Via::Session), action);
            assert_eq!(outcome.is_ok(), allowed, "{role} {action:?}: {outcome:?}");
            checked += 1;
        }
    }
    assert_eq!(checked, 48);
}

#[test]
fn refusals_name_the_missing_role_and_the_action() {
    let viewer = principal(Role::Viewer, Via::Session);
    let err = require(&viewer, Action::CreateContainer).unwrap_err();
    assert_eq!(err.reason, ForbiddenReason::Role(Role::Operator));
    assert_eq!(
        err.to_string(),
        "You need the operator role to create containers."
    );
    let operator = principal(Role::Operator, Via::Session);
    assert_eq!(
        require(&operator, Action::ManageUsers)
            .unwrap_err()
            .to_string(),
        "You need the admin role to manage users and roles."
    );
}

#[test]
fn owners_act_on_their_own_resources_with_the_base_role() {
    let operator = principal(Role::Operator, Via::Session);
    let viewer = principal(Role::Viewer, Via::Session);
    let admin = principal(Role::Admin, Via::Session);
    let someone_else = Uuid::new_v4();
    // (principal, owns it, action for others, allowed)
    let cases = [
        (&operator, true, Action::ManageAnyContainer, Y),
        (&operator, false, Action::ManageAnyContainer, N),
        (&viewer, true, Action::ManageAnyContainer, N),
        (&admin, false, Action::ManageAnyContainer, Y),
        (&viewer, true, Action::RevokeAnySession, Y),
        (&operator, false, Action::RevokeAnySession, N),
        (&admin, false, Action::RevokeAnySession, Y),
        // No own counterpart: owning it changes nothing.
        (&operator, true, Action::ManageTemplates, N),
    ];
    for (who, owns, action, allowed) in cases {
        let owner = if owns { who.user_id } else { someone_else };
        let outcome = require_owner_or(who, owner, action);
        assert_eq!(
            outcome.is_ok(),
            allowed,
            "{} owns={owns} {action:?}: {outcome:?}",
            who.role
        );
    }
    let err = require_owner_or(&operator, someone_else, Action::ManageAnyContainer).unwrap_err();
    assert_eq!(
        err.to_string(),
        "You need the admin role to manage other users' containers."
    );
    let err = require_owner_or(&viewer, viewer.user_id, Action::ManageAnyContainer).unwrap_err();
    assert_eq!(
        err.to_string(),
        "You need the operator role to manage containers."
    );
}

#[test]
fn shared_resources_count_as_own() {
    let operator = principal(Role::Operator, Via::Session);
    assert!(require_own_or(&operator, true, Action::ManageAnyContainer).is_ok());
    assert!(require_own_or(&operator, false, Action::ManageAnyContainer).is_err());
}

#[test]
fn api_tokens_cannot_manage_tokens_or_sessions_whatever_the_role() {
    let admin_token = principal(Role::Admin, Via::ApiToken);
    for action in [Action::ManageOwnTokens, Action::ManageOwnSessions] {
        let err = require(&admin_token, action).unwrap_err();
        assert_eq!(err.reason, ForbiddenReason::ApiToken, "{action:?}");
    }
    assert_eq!(
        require(&admin_token, Action::ManageOwnTokens)
            .unwrap_err()
            .to_string(),
        "API tokens cannot be used to manage your API tokens; sign in to Berth instead."
    );
    // Everything else follows the role table exactly as for a session.
    assert!(require(&admin_token, Action::ManageUsers).is_ok());
    let viewer_token = principal(Role::Viewer, Via::ApiToken);
    assert!(require(&viewer_token, Action::ViewContainers).is_ok());
    assert!(require(&viewer_token, Action::CreateContainer).is_err());
}
