//! What a run tells the world while it works. Events are numbered per run (`seq` from 1), kept in
//! Postgres and published on Redis; a browser that (re)connects replays from the last `seq` it
//! saw, then follows live, so nothing is shown twice or missed.

use super::{RunState, Stage};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogStream {
    /// Berth's own account of what it does.
    Info,
    Stdout,
    Stderr,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunEvent {
    StageStarted {
        stage: Stage,
        attempt: i32,
    },
    StageFinished {
        stage: Stage,
        duration_ms: u64,
    },
    StageFailed {
        stage: Stage,
        duration_ms: u64,
        error: String,
        /// Whether the run will be tried again on its own.
        retrying: bool,
    },
    Log {
        stage: Option<Stage>,
        stream: LogStream,
        line: String,
    },
    Progress {
        stage: Stage,
        percent: u8,
    },
    State {
        state: RunState,
        message: Option<String>,
    },
}

/// An event with its place in the run's sequence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SequencedEvent {
    pub run_id: String,
    pub seq: i64,
    /// RFC 3339, UTC, with milliseconds.
    pub at: String,
    pub event: RunEvent,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_serialize_with_a_kind_tag() {
        let event = RunEvent::StageFailed {
            stage: Stage::RunScripts,
            duration_ms: 1200,
            error: "script install.sh exited with 3".into(),
            retrying: false,
        };
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["kind"], "stage_failed");
        assert_eq!(json["stage"], "run_scripts");
        assert_eq!(serde_json::from_value::<RunEvent>(json).unwrap(), event);
        let log = RunEvent::Log {
            stage: None,
            stream: LogStream::Stderr,
            line: "E: Unable to locate package".into(),
        };
        let text = serde_json::to_string(&log).unwrap();
        assert_eq!(serde_json::from_str::<RunEvent>(&text).unwrap(), log);
    }
}
