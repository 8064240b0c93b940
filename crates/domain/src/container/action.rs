//! Day-to-day actions on a container (power, destroy, snapshots). Each is a Proxmox task, so it
//! goes through the job queue like a provisioning run: the server records it, a worker carries it
//! out, and every browser on the containers page sees its state change.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Start,
    Shutdown,
    Stop,
    Reboot,
    Destroy,
    Snapshot,
    Rollback,
    DeleteSnapshot,
}

impl ActionKind {
    pub const POWER: [ActionKind; 4] = [Self::Start, Self::Shutdown, Self::Stop, Self::Reboot];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Shutdown => "shutdown",
            Self::Stop => "stop",
            Self::Reboot => "reboot",
            Self::Destroy => "destroy",
            Self::Snapshot => "snapshot",
            Self::Rollback => "rollback",
            Self::DeleteSnapshot => "delete_snapshot",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Start,
            Self::Shutdown,
            Self::Stop,
            Self::Reboot,
            Self::Destroy,
            Self::Snapshot,
            Self::Rollback,
            Self::DeleteSnapshot,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == text)
    }

    /// What a button says.
    pub fn label(self) -> &'static str {
        match self {
            Self::Start => "Start",
            Self::Shutdown => "Shut down",
            Self::Stop => "Stop",
            Self::Reboot => "Reboot",
            Self::Destroy => "Destroy",
            Self::Snapshot => "Take snapshot",
            Self::Rollback => "Roll back",
            Self::DeleteSnapshot => "Delete snapshot",
        }
    }

    /// What a row says while the action is under way.
    pub fn doing(self) -> &'static str {
        match self {
            Self::Start => "starting",
            Self::Shutdown => "shutting down",
            Self::Stop => "stopping",
            Self::Reboot => "rebooting",
            Self::Destroy => "destroying",
            Self::Snapshot => "snapshotting",
            Self::Rollback => "rolling back",
            Self::DeleteSnapshot => "deleting snapshot",
        }
    }

    /// Acts on a named snapshot.
    pub fn needs_snapshot(self) -> bool {
        matches!(self, Self::Snapshot | Self::Rollback | Self::DeleteSnapshot)
    }

    /// Cannot be undone: the operator types the container's name to confirm.
    pub fn needs_typed_confirmation(self) -> bool {
        matches!(self, Self::Destroy | Self::Rollback)
    }
}

/// What an operator asks for. `confirm` carries the typed name for destructive actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRequest {
    pub vmid: u32,
    pub kind: ActionKind,
    #[serde(default)]
    pub snapshot: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub confirm: Option<String>,
}

/// The longest snapshot description Berth sends.
pub const MAX_SNAPSHOT_DESCRIPTION: usize = 1024;

/// Proxmox's `pve-configid` rule for snapshot names (PVE-API.md §4.13): a letter, then letters,
/// digits, `_` or `-`; 2–40 characters; `current` and `vzdump` are reserved.
pub fn snapshot_name_problem(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if name.len() < 2 || name.len() > 40 {
        Some("a snapshot name has 2 to 40 characters".into())
    } else if !first_ok || !rest_ok {
        Some("a snapshot name starts with a letter and has only letters, digits, _ and -".into())
    } else if ["current", "vzdump"].contains(&name.to_ascii_lowercase().as_str()) {
        Some(format!("{name:?} is a name Proxmox reserves"))
    } else {
        None
    }
}

impl ActionRequest {
    /// Problems in the request itself (not in the container's state), each with its field.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        match (&self.snapshot, self.kind.needs_snapshot()) {
            (Some(name), true) => {
                if let Some(problem) = snapshot_name_problem(name) {
                    problems.push(("snapshot", problem));
                }
            }
            (None, true) => problems.push(("snapshot", "name the snapshot".into())),
            (Some(_), false) => problems.push((
                "snapshot",
                format!("{} does not take a snapshot", self.kind.as_str()),
            )),
            (None, false) => {}
        }
        if let Some(description) = &self.description {
            if self.kind != ActionKind::Snapshot {
                problems.push((
                    "description",
                    "only a new snapshot takes a description".into(),
                ));
            } else if description.chars().count() > MAX_SNAPSHOT_DESCRIPTION {
                problems.push((
                    "description",
                    format!("at most {MAX_SNAPSHOT_DESCRIPTION} characters"),
                ));
            }
        }
        problems
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionState {
    Queued,
    Running,
    Succeeded,
    Failed,
}

impl ActionState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Queued, Self::Running, Self::Succeeded, Self::Failed]
            .into_iter()
            .find(|state| state.as_str() == text)
    }

    pub fn is_final(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed)
    }
}

/// One action as the UI and the API show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionView {
    pub id: String,
    pub vmid: u32,
    pub node: String,
    /// The container's name when the action was asked for.
    pub name: String,
    pub kind: ActionKind,
    pub snapshot: Option<String>,
    pub state: ActionState,
    pub error: Option<String>,
    pub upid: Option<String>,
    pub requested_by: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub finished_at: Option<String>,
}

/// What the containers websocket sends: the whole snapshot first (and again after a gap), then
/// the rows that changed, and every action's state as it moves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ContainersPush {
    Snapshot {
        snapshot: super::ContainersSnapshot,
        actions: Vec<ActionView>,
    },
    Delta {
        delta: super::ContainersDelta,
    },
    Action {
        action: ActionView,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_names_follow_proxmox_rules() {
        assert_eq!(snapshot_name_problem("before-upgrade_2"), None);
        assert!(snapshot_name_problem("a").is_some());
        assert!(snapshot_name_problem("1abc").is_some());
        assert!(snapshot_name_problem("has space").is_some());
        assert!(snapshot_name_problem("Current").is_some());
        assert!(snapshot_name_problem(&"a".repeat(41)).is_some());
    }

    #[test]
    fn a_request_names_each_problem_at_its_field() {
        let mut request = ActionRequest {
            vmid: 100,
            kind: ActionKind::Snapshot,
            snapshot: None,
            description: Some("x".repeat(MAX_SNAPSHOT_DESCRIPTION + 1)),
            confirm: None,
        };
        let fields: Vec<_> = request.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["snapshot", "description"]);
        request.kind = ActionKind::Stop;
        request.snapshot = Some("snap1".into());
        request.description = None;
        assert_eq!(request.problems()[0].0, "snapshot");
        request.snapshot = None;
        assert!(request.problems().is_empty());
    }

    #[test]
    fn kinds_read_back_from_their_names() {
        for kind in ActionKind::POWER
            .into_iter()
            .chain([ActionKind::Destroy, ActionKind::DeleteSnapshot])
        {
            assert_eq!(ActionKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ActionKind::parse("explode"), None);
    }
}
