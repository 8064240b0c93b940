//! A worker that dies mid-run: the next attempt (a new lease) resumes from the checkpoint and
//! finds what the first one made instead of making it again.

use crate::support::{Harness, TestAttempt};
use berth_db::runs;
use berth_domain::run::{RunState, Stage};
use berth_jobs::JobOutcome;
use berth_provision::{Checkpoint, PROXMOX_STAGES};
use uuid::Uuid;

/// Runs reserve + create, then puts the run back as if its worker had died inside
/// create (the stage still in progress), with `keep_upid` deciding whether the create
/// task's UPID had been saved yet.
async fn crashed_in_create(h: &Harness, keep_upid: bool) -> (Uuid, u32) {
    let id = h.create_run(&h.spec("resumed")).await;
    let first = h.provisioner_of(&PROXMOX_STAGES[..2]);
    assert_eq!(first.run(&TestAttempt::new(id, 1)).await, JobOutcome::Fail);
    let run = h.run_record(id).await;
    let mut checkpoint = Checkpoint::from_json(&run.checkpoint).unwrap();
    let vmid = checkpoint.vmid.unwrap();
    assert_eq!(h.tagged(id).await, vec![vmid]);
    if !keep_upid {
        checkpoint.create_upid = None;
    }
    // The state a crash leaves: running, in create, claimed by a dead worker.
    let mut conn = h.conn().await;
    runs::retry(&mut conn, id, None).await.unwrap();
    let dead = Uuid::new_v4();
    runs::claim(&mut conn, id, dead, "dead-worker")
        .await
        .unwrap()
        .unwrap();
    runs::save_checkpoint(
        &mut conn,
        id,
        dead,
        Stage::CreateContainer,
        &checkpoint.to_json(),
        Some(vmid as i32),
        run.summary.node.as_deref(),
    )
    .await
    .unwrap();
    (id, vmid)
}

#[tokio::test]
async fn a_new_lease_resumes_after_create_without_a_second_container() {
    let h = Harness::start().await;
    for keep_upid in [true, false] {
        let (id, vmid) = crashed_in_create(&h, keep_upid).await;
        let outcome = h.provisioner().run(&TestAttempt::new(id, 2)).await;
        assert_eq!(outcome, JobOutcome::Fail);
        let run = h.run_record(id).await;
        assert_eq!(
            run.summary.stage,
            Some(Stage::Connect),
            "{:?}",
            run.summary.error
        );
        assert_eq!(run.summary.vmid, Some(vmid as i32));
        assert_eq!(h.tagged(id).await, vec![vmid], "keep_upid: {keep_upid}");
    }
}

#[tokio::test]
async fn a_worker_whose_claim_was_taken_stops_without_writing() {
    let h = Harness::start().await;
    // Slow container calls keep the old worker inside create while its claim is taken.
    h.slow_container_calls().await;
    let id = h.create_run(&h.spec("taken-over")).await;
    let running = h.spawn_attempt(&TestAttempt::new(id, 1));
    crate::support::until_stage_started(&h, id, Stage::CreateContainer).await;
    let new = Uuid::new_v4();
    runs::claim(&mut h.conn().await, id, new, "new")
        .await
        .unwrap()
        .unwrap();
    let seen = h.events(id).await.len();

    assert_eq!(running.await.unwrap(), JobOutcome::Done);
    assert_eq!(
        h.events(id).await.len(),
        seen,
        "no event after the claim was lost"
    );
    let run = h.run_record(id).await;
    assert_eq!(run.state(), RunState::Running);
    assert_eq!(run.claim_token, Some(new));
    assert_eq!(run.summary.stage, Some(Stage::CreateContainer));
}

#[tokio::test]
async fn a_worker_shutting_down_mid_stage_hands_the_run_back() {
    let h = Harness::start().await;
    h.slow_container_calls().await;
    let id = h.create_run(&h.spec("handed-back")).await;
    let attempt = TestAttempt::new(id, 1);
    let running = h.spawn_attempt(&attempt);
    crate::support::until_stage_started(&h, id, Stage::CreateContainer).await;
    attempt.stop(berth_jobs::CancelReason::Shutdown);

    assert_eq!(running.await.unwrap(), JobOutcome::RETRY);
    let run = h.run_record(id).await;
    assert_eq!(run.state(), RunState::Queued);
    assert_eq!(
        run.summary.attempt, 0,
        "a handed-back attempt does not count"
    );
    assert_eq!(run.summary.stage, Some(Stage::CreateContainer));

    // The next worker finishes the job with exactly one container.
    h.assert_completes_with_one_container(id, 1).await;
}
