//! Privileges, roles and ACL evaluation (pve-access-control `AccessControl.pm`, `RPCEnvironment.pm`).

use std::collections::{BTreeMap, BTreeSet};

use super::SimState;

/// Every privilege PVE 9 knows (`$privgroups`); roles naming anything else are rejected.
/// `VM.Monitor` (PVE 8 only) is deliberately absent.
pub const ALL_PRIVILEGES: &[&str] = &[
    "VM.Allocate",
    "VM.Audit",
    "VM.Backup",
    "VM.Clone",
    "VM.Config.CDROM",
    "VM.Config.CPU",
    "VM.Config.Cloudinit",
    "VM.Config.Disk",
    "VM.Config.HWType",
    "VM.Config.Memory",
    "VM.Config.Network",
    "VM.Config.Options",
    "VM.Console",
    "VM.Migrate",
    "VM.PowerMgmt",
    "VM.Snapshot",
    "VM.Snapshot.Rollback",
    "VM.GuestAgent.Audit",
    "VM.GuestAgent.FileRead",
    "VM.GuestAgent.FileWrite",
    "VM.GuestAgent.FileSystemMgmt",
    "VM.GuestAgent.Unrestricted",
    "VM.Replicate",
    "Datastore.Allocate",
    "Datastore.AllocateSpace",
    "Datastore.AllocateTemplate",
    "Datastore.Audit",
    "Sys.Audit",
    "Sys.Console",
    "Sys.Incoming",
    "Sys.Modify",
    "Sys.PowerMgmt",
    "Sys.Syslog",
    "Sys.AccessNetwork",
    "SDN.Allocate",
    "SDN.Audit",
    "SDN.Use",
    "Group.Allocate",
    "Realm.Allocate",
    "Realm.AllocateUser",
    "User.Modify",
    "Permissions.Modify",
    "Pool.Allocate",
    "Pool.Audit",
    "Mapping.Audit",
    "Mapping.Modify",
    "Mapping.Use",
];

/// The built-in roles the seed's ACLs may use besides its own.
pub fn builtin_roles() -> BTreeMap<String, BTreeSet<String>> {
    let set = |privs: &[&str]| privs.iter().map(|p| p.to_string()).collect::<BTreeSet<_>>();
    let mut roles = BTreeMap::new();
    roles.insert("Administrator".into(), set(ALL_PRIVILEGES));
    roles.insert("NoAccess".into(), BTreeSet::new());
    roles.insert(
        "PVEAuditor".into(),
        set(&[
            "VM.Audit",
            "VM.GuestAgent.Audit",
            "Datastore.Audit",
            "Sys.Audit",
            "SDN.Audit",
            "Pool.Audit",
            "Mapping.Audit",
        ]),
    );
    roles.insert(
        "PVEVMUser".into(),
        set(&[
            "VM.Audit",
            "VM.Console",
            "VM.PowerMgmt",
            "VM.Backup",
            "VM.Config.CDROM",
        ]),
    );
    roles.insert(
        "PVEDatastoreUser".into(),
        set(&["Datastore.AllocateSpace", "Datastore.Audit"]),
    );
    roles
}

/// Who is calling: a user, or one of its API tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthId {
    pub user: String,
    pub token: Option<String>,
}

impl AuthId {
    /// `user@realm` or `user@realm!tokenid` — what UPIDs and ACLs name.
    pub fn full(&self) -> String {
        match &self.token {
            Some(t) => format!("{}!{t}", self.user),
            None => self.user.clone(),
        }
    }

    /// Only the real `root@pam` login counts as root; its tokens don't.
    pub fn is_root(&self) -> bool {
        self.user == "root@pam" && self.token.is_none()
    }
}

fn ancestors(path: &str) -> Vec<String> {
    let mut out = vec![path.to_string()];
    let mut p = path.trim_end_matches('/').to_string();
    while let Some(idx) = p.rfind('/') {
        p.truncate(idx);
        out.push(if p.is_empty() { "/".into() } else { p.clone() });
        if p.is_empty() {
            break;
        }
    }
    out.dedup();
    out
}

/// The privileges one ACL subject has on a path: the most specific path with entries wins.
fn privs_of(state: &SimState, ugid: &str, path: &str) -> BTreeSet<String> {
    if ugid == "root@pam" {
        return ALL_PRIVILEGES.iter().map(|p| p.to_string()).collect();
    }
    for (depth, candidate) in ancestors(path).iter().enumerate() {
        let entries: Vec<_> = state
            .acl
            .iter()
            .filter(|a| a.ugid == ugid && &a.path == candidate && (depth == 0 || a.propagate))
            .collect();
        if !entries.is_empty() {
            return entries
                .iter()
                .filter_map(|a| state.roles.get(&a.role))
                .flatten()
                .cloned()
                .collect();
        }
    }
    BTreeSet::new()
}

/// Effective privileges; a privilege-separated token gets the intersection with its user.
pub fn privileges(state: &SimState, who: &AuthId, path: &str) -> BTreeSet<String> {
    let user = privs_of(state, &who.user, path);
    let Some(token) = &who.token else {
        return user;
    };
    let privsep = state
        .user(&who.user)
        .and_then(|u| u.tokens.iter().find(|t| &t.id == token))
        .is_none_or(|t| t.privsep);
    if !privsep {
        return user;
    }
    let own = privs_of(state, &who.full(), path);
    user.intersection(&own).cloned().collect()
}

pub fn has(state: &SimState, who: &AuthId, path: &str, privilege: &str) -> bool {
    privileges(state, who, path).contains(privilege)
}

/// Whether the subject has any privilege on the path or below it (used for `cap`).
pub fn any_below(state: &SimState, who: &AuthId, path: &str) -> BTreeSet<String> {
    let mut paths: BTreeSet<String> = state
        .acl
        .iter()
        .filter(|a| {
            a.path == path
                || a.path
                    .starts_with(&format!("{}/", path.trim_end_matches('/')))
        })
        .map(|a| a.path.clone())
        .collect();
    paths.insert(path.to_string());
    paths
        .iter()
        .flat_map(|p| privileges(state, who, p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_walk_to_root() {
        assert_eq!(ancestors("/vms/100"), vec!["/vms/100", "/vms", "/"]);
        assert_eq!(ancestors("/"), vec!["/"]);
    }
}
