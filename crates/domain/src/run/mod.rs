//! Provisioning runs as the UI and the API see them: their state, the stages of the pipeline,
//! and the events a run emits while it works (stored in order, replayed on reconnect, followed
//! live).

mod event;
mod stage;

pub use event::{LogStream, RunEvent, SequencedEvent};
pub use stage::Stage;

use serde::{Deserialize, Serialize};

/// Where a run is in its life. Only `queued` and `running` runs hold a VMID reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

impl RunState {
    pub const ALL: [RunState; 5] = [
        RunState::Queued,
        RunState::Running,
        RunState::Succeeded,
        RunState::Failed,
        RunState::Cancelled,
    ];

    /// The name stored in Postgres and used in URLs (`?state=failed`).
    pub fn key(self) -> &'static str {
        match self {
            RunState::Queued => "queued",
            RunState::Running => "running",
            RunState::Succeeded => "succeeded",
            RunState::Failed => "failed",
            RunState::Cancelled => "cancelled",
        }
    }

    pub fn from_key(key: &str) -> Option<RunState> {
        RunState::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            RunState::Queued => "Queued",
            RunState::Running => "Running",
            RunState::Succeeded => "Succeeded",
            RunState::Failed => "Failed",
            RunState::Cancelled => "Cancelled",
        }
    }

    /// A finished run never changes state again (a retry is a new attempt of a failed run).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            RunState::Succeeded | RunState::Failed | RunState::Cancelled
        )
    }
}

/// One run in lists (the Jobs page, a container's history).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    pub id: String,
    pub template_name: String,
    pub template_version: i32,
    pub hostname: String,
    pub state: RunState,
    pub stage: Option<Stage>,
    pub attempt: i32,
    pub vmid: Option<i32>,
    pub node: Option<String>,
    pub error: Option<String>,
    pub requested_by: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// From start to finish (or to now while running), in milliseconds.
    pub duration_ms: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_through_their_keys_and_serde() {
        for state in RunState::ALL {
            assert_eq!(RunState::from_key(state.key()), Some(state));
            let json = serde_json::to_string(&state).unwrap();
            assert_eq!(json, format!("\"{}\"", state.key()));
        }
        assert_eq!(RunState::from_key("done"), None);
        assert!(RunState::Failed.is_final() && !RunState::Running.is_final());
    }
}
