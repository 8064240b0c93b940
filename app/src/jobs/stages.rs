//! A run's stages as its events tell them: the same fold on the server (first render) and in
//! the browser (as events arrive), so both always agree.

use berth_domain::run::{RunEvent, RunState, SequencedEvent, Stage};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageState {
    Pending,
    Running,
    Done,
    Failed,
    /// Never started by a run that succeeded (nothing to do for it).
    Skipped,
}

impl StageState {
    pub fn key(self) -> &'static str {
        match self {
            StageState::Pending => "pending",
            StageState::Running => "running",
            StageState::Done => "done",
            StageState::Failed => "failed",
            StageState::Skipped => "skipped",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StageState::Pending => "Pending",
            StageState::Running => "Running",
            StageState::Done => "Done",
            StageState::Failed => "Failed",
            StageState::Skipped => "Skipped",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageStatus {
    pub stage: Stage,
    pub state: StageState,
    /// How long its last attempt took, once it ended.
    pub duration_ms: Option<u64>,
    /// The last progress report of a running stage.
    pub percent: Option<u8>,
    pub error: Option<String>,
}

/// Every stage in pipeline order. A stage started again (a retry) shows its latest attempt.
pub fn stage_statuses(events: &[SequencedEvent], run: RunState) -> Vec<StageStatus> {
    let mut stages: Vec<StageStatus> = Stage::ALL
        .iter()
        .map(|&stage| StageStatus {
            stage,
            state: StageState::Pending,
            duration_ms: None,
            percent: None,
            error: None,
        })
        .collect();
    for event in events {
        apply(&mut stages, &event.event);
    }
    for status in &mut stages {
        match (status.state, run) {
            (StageState::Pending, RunState::Succeeded) => status.state = StageState::Skipped,
            // A worker that stopped mid-stage (cancelled, or the run failed elsewhere) left it
            // unfinished: it did not complete.
            (StageState::Running, RunState::Failed | RunState::Cancelled) => {
                status.state = StageState::Failed;
            }
            _ => {}
        }
    }
    stages
}

fn apply(stages: &mut [StageStatus], event: &RunEvent) {
    let at = |stages: &mut [StageStatus], stage: Stage| -> Option<usize> {
        stages.iter().position(|s| s.stage == stage)
    };
    match event {
        RunEvent::StageStarted { stage, .. } => {
            if let Some(i) = at(stages, *stage) {
                stages[i] = StageStatus {
                    stage: *stage,
                    state: StageState::Running,
                    duration_ms: None,
                    percent: None,
                    error: None,
                };
            }
        }
        RunEvent::StageFinished { stage, duration_ms } => {
            if let Some(i) = at(stages, *stage) {
                stages[i].state = StageState::Done;
                stages[i].duration_ms = Some(*duration_ms);
            }
        }
        RunEvent::StageFailed {
            stage,
            duration_ms,
            error,
            ..
        } => {
            if let Some(i) = at(stages, *stage) {
                stages[i].state = StageState::Failed;
                stages[i].duration_ms = Some(*duration_ms);
                stages[i].error = Some(error.clone());
            }
        }
        RunEvent::Progress { stage, percent } => {
            if let Some(i) = at(stages, *stage) {
                stages[i].percent = Some(*percent);
            }
        }
        // Retried: what failed will be tried again.
        RunEvent::State {
            state: RunState::Queued,
            ..
        } => {
            for status in stages.iter_mut() {
                if status.state == StageState::Failed {
                    status.state = StageState::Pending;
                    status.error = None;
                }
            }
        }
        RunEvent::Log { .. } | RunEvent::State { .. } => {}
    }
}

/// A duration as people read it: `850 ms`, `12.3 s`, `4 min 05 s`, `1 h 02 min`.
pub fn duration_text(ms: u64) -> String {
    match ms {
        0..1_000 => format!("{ms} ms"),
        1_000..60_000 => format!("{}.{} s", ms / 1000, ms % 1000 / 100),
        60_000..3_600_000 => format!("{} min {:02} s", ms / 60_000, ms % 60_000 / 1000),
        _ => format!("{} h {:02} min", ms / 3_600_000, ms % 3_600_000 / 60_000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seq(events: Vec<RunEvent>) -> Vec<SequencedEvent> {
        events
            .into_iter()
            .enumerate()
            .map(|(i, event)| SequencedEvent {
                run_id: "r".into(),
                seq: i as i64 + 1,
                at: "2026-11-30T12:00:00.000Z".into(),
                event,
            })
            .collect()
    }

    /// The first stage, started and finished.
    fn reserved() -> Vec<RunEvent> {
        vec![
            RunEvent::StageStarted {
                stage: Stage::ReserveVmid,
                attempt: 1,
            },
            RunEvent::StageFinished {
                stage: Stage::ReserveVmid,
                duration_ms: 40,
            },
        ]
    }

    fn states(statuses: &[StageStatus]) -> Vec<&'static str> {
        statuses.iter().map(|s| s.state.key()).collect()
    }

    #[test]
    fn stages_follow_their_events_and_a_retry_shows_the_latest_attempt() {
        let mut events = reserved();
        events.extend([
            RunEvent::StageStarted {
                stage: Stage::CreateContainer,
                attempt: 1,
            },
            RunEvent::StageFailed {
                stage: Stage::CreateContainer,
                duration_ms: 900,
                error: "lock timeout".into(),
                retrying: true,
            },
        ]);
        let events = seq(events);
        let statuses = stage_statuses(&events, RunState::Queued);
        assert_eq!(&states(&statuses)[..3], ["done", "failed", "pending"]);
        assert_eq!(statuses[1].error.as_deref(), Some("lock timeout"));

        let mut more = events.clone();
        more.extend(seq(vec![
            RunEvent::StageStarted {
                stage: Stage::CreateContainer,
                attempt: 2,
            },
            RunEvent::Progress {
                stage: Stage::CreateContainer,
                percent: 50,
            },
        ]));
        let statuses = stage_statuses(&more, RunState::Running);
        assert_eq!(statuses[1].state, StageState::Running);
        assert_eq!(
            (statuses[1].error.as_deref(), statuses[1].percent),
            (None, Some(50))
        );

        let statuses = stage_statuses(&more, RunState::Cancelled);
        assert_eq!(statuses[1].state, StageState::Failed);
    }

    #[test]
    fn stages_an_operator_retries_are_pending_again() {
        let mut events = reserved();
        events.extend([
            RunEvent::StageStarted {
                stage: Stage::CreateContainer,
                attempt: 1,
            },
            RunEvent::StageFailed {
                stage: Stage::CreateContainer,
                duration_ms: 900,
                error: "403 Permission check failed".into(),
                retrying: false,
            },
        ]);
        let failed = stage_statuses(&seq(events.clone()), RunState::Failed);
        assert_eq!(&states(&failed)[..2], ["done", "failed"]);
        events.push(RunEvent::State {
            state: RunState::Queued,
            message: Some("retrying from create_container".into()),
        });
        let retried = stage_statuses(&seq(events), RunState::Queued);
        assert_eq!(&states(&retried)[..3], ["done", "pending", "pending"]);
        assert_eq!(retried[1].error, None);
    }

    #[test]
    fn stages_a_successful_run_never_started_are_skipped() {
        let events = seq(reserved());
        let statuses = stage_statuses(&events, RunState::Succeeded);
        assert_eq!(statuses.len(), 9);
        assert_eq!(states(&statuses)[..2], ["done", "skipped"]);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(850), "850 ms");
        assert_eq!(duration_text(12_345), "12.3 s");
        assert_eq!(duration_text(245_000), "4 min 05 s");
        assert_eq!(duration_text(3_720_000), "1 h 02 min");
    }
}
