//! Everything Berth guards, and the least role each needs.

use berth_domain::Role;

/// A guarded operation. "Own" actions concern the caller's own resources; their "Any"
/// counterparts the same thing on anyone's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    ViewDashboard,
    ViewContainers,
    CreateContainer,
    /// Start, stop, snapshot, destroy, console: a container the caller owns or that is shared with them.
    ManageContainer,
    /// The same on any container.
    ManageAnyContainer,
    ViewTemplates,
    UseTemplate,
    ManageTemplates,
    ViewBuckets,
    ManageBuckets,
    ViewAudit,
    /// Create, disable and delete users, change roles, end their sessions.
    ManageUsers,
    ManageSettings,
    ManageOwnSessions,
    ManageOwnTokens,
    RevokeAnySession,
}

impl Action {
    pub const ALL: [Action; 16] = [
        Action::ViewDashboard,
        Action::ViewContainers,
        Action::CreateContainer,
        Action::ManageContainer,
        Action::ManageAnyContainer,
        Action::ViewTemplates,
        Action::UseTemplate,
        Action::ManageTemplates,
        Action::ViewBuckets,
        Action::ManageBuckets,
        Action::ViewAudit,
        Action::ManageUsers,
        Action::ManageSettings,
        Action::ManageOwnSessions,
        Action::ManageOwnTokens,
        Action::RevokeAnySession,
    ];

    /// Viewers read; operators create and manage their containers and use templates; admins do
    /// everything else.
    pub fn required_role(self) -> Role {
        match self {
            Action::ViewDashboard
            | Action::ViewContainers
            | Action::ViewTemplates
            | Action::ViewBuckets
            | Action::ManageOwnSessions
            | Action::ManageOwnTokens => Role::Viewer,
            Action::CreateContainer | Action::ManageContainer | Action::UseTemplate => {
                Role::Operator
            }
            Action::ManageAnyContainer
            | Action::ManageTemplates
            | Action::ManageBuckets
            | Action::ViewAudit
            | Action::ManageUsers
            | Action::ManageSettings
            | Action::RevokeAnySession => Role::Admin,
        }
    }

    /// What it is, completing "You need the … role to …".
    pub fn phrase(self) -> &'static str {
        match self {
            Action::ViewDashboard => "view the dashboard",
            Action::ViewContainers => "view containers",
            Action::CreateContainer => "create containers",
            Action::ManageContainer => "manage containers",
            Action::ManageAnyContainer => "manage other users' containers",
            Action::ViewTemplates => "view templates",
            Action::UseTemplate => "use templates",
            Action::ManageTemplates => "manage templates",
            Action::ViewBuckets => "view package buckets",
            Action::ManageBuckets => "manage package buckets",
            Action::ViewAudit => "view the audit trail",
            Action::ManageUsers => "manage users and roles",
            Action::ManageSettings => "change settings",
            Action::ManageOwnSessions => "manage your sessions",
            Action::ManageOwnTokens => "manage your API tokens",
            Action::RevokeAnySession => "end other users' sessions",
        }
    }

    /// The action's counterpart for the caller's own resource, if it has one.
    pub fn own_counterpart(self) -> Option<Action> {
        match self {
            Action::ManageAnyContainer => Some(Action::ManageContainer),
            Action::RevokeAnySession => Some(Action::ManageOwnSessions),
            _ => None,
        }
    }

    /// Whether an API token may be used for it. Tokens cannot mint tokens or manage sessions:
    /// a leaked token must not be able to outlive its own revocation.
    pub fn allowed_via_token(self) -> bool {
        !matches!(self, Action::ManageOwnTokens | Action::ManageOwnSessions)
    }
}
