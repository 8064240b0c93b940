//! SIGKILL in every stage: for each of the nine stages a run's worker is killed the moment the
//! stage starts and a fresh worker is started. The run must finish with exactly one container,
//! whatever the crash left half done.

use crate::pipeline::Pipeline;
use berth_domain::run::{RunState, Stage};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread")]
async fn a_run_survives_its_worker_being_killed_in_any_stage() {
    let p = Pipeline::start().await;
    for (i, stage) in Stage::ALL.into_iter().enumerate() {
        let id = p.create_run(&format!("crash{i}")).await;
        let first = format!("doomed-{i}");
        let mut doomed = p.spawn_worker(&first);
        let reached = p.until_started(id, stage, Duration::from_secs(60)).await;
        doomed.kill().unwrap();
        doomed.wait().unwrap();
        assert!(
            reached,
            "{stage:?} never started:\n{}",
            p.worker_log(&first)
        );

        let second = format!("rescuer-{i}");
        let mut rescuer = p.spawn_worker(&second);
        let deadline = Instant::now() + Duration::from_secs(90);
        let record = loop {
            let record = p.run(id).await;
            if record.state().is_final() || Instant::now() > deadline {
                break record;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        rescuer.kill().unwrap();
        rescuer.wait().unwrap();
        assert_eq!(
            record.state(),
            RunState::Succeeded,
            "killed in {stage:?}: {:?}\n{}",
            record.summary.error,
            p.worker_log(&second)
        );
        assert_eq!(
            p.containers_of(id).await.len(),
            1,
            "killed in {stage:?}: one container"
        );
    }
}
