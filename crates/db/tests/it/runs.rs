//! Runs: created with their audit entry, claimed under a token that fences every later write,
//! cancel and retry, VMID reservations, and the reconciler's list (events: `run_events.rs`).

use crate::catalog_support::{add_template, entry, template};
use berth_db::Connection;
use berth_db::Page;
use berth_db::audit::{self, AuditFilter};
use berth_db::runs::{self, CancelOutcome, NewRun, RunError, RunFilter};
use berth_db::testing::TestDatabase;
use berth_domain::run::{RunEvent, RunState, Stage};
use serde_json::json;
use uuid::Uuid;

fn new_run<'a>(hostname: &'a str, vmid: Option<i32>) -> NewRun<'a> {
    NewRun {
        template_name: "web",
        template_version: 1,
        hostname,
        spec: json!({ "identity": { "hostname": hostname } }),
        secrets: json!({}),
        vmid,
        requested_by: None,
        requested_by_name: "Olga Operator",
    }
}

pub(crate) async fn setup() -> (TestDatabase, Connection) {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    add_template(&mut conn, &template("web", &[])).await;
    (db, conn)
}

pub(crate) async fn create(conn: &mut Connection, hostname: &str, vmid: Option<i32>) -> Uuid {
    runs::create(conn, &new_run(hostname, vmid), entry("run.create"))
        .await
        .unwrap()
}

/// A run that got to `stage` with `vmid` and failed there.
async fn failed_at(conn: &mut Connection, hostname: &str, stage: Stage, vmid: i32) -> Uuid {
    let id = create(conn, hostname, None).await;
    let token = Uuid::new_v4();
    runs::claim(conn, id, token, "w").await.unwrap();
    let checkpoint = json!({ "vmid": vmid });
    runs::save_checkpoint(
        conn,
        id,
        token,
        stage,
        &checkpoint,
        Some(vmid),
        Some("pve1"),
    )
    .await
    .unwrap();
    runs::finish(conn, id, token, RunState::Failed, Some("boom"))
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn a_run_is_written_queued_with_its_audit_entry() {
    let (_db, mut conn) = setup().await;
    let id = create(&mut conn, "web-1", None).await;
    let run = runs::get(&mut conn, id).await.unwrap();
    assert_eq!(run.state(), RunState::Queued);
    assert_eq!(run.summary.hostname, "web-1");
    assert_eq!(run.summary.template_version, 1);
    assert_eq!(run.summary.attempt, 0);
    assert_eq!(run.summary.requested_by, "Olga Operator");
    let audit = audit::list(
        &mut conn,
        &AuditFilter {
            action: Some("run.create".into()),
            ..AuditFilter::default()
        },
        Page::new(10, 0),
    )
    .await
    .unwrap();
    assert_eq!(audit.entries.len(), 1);
    assert_eq!(
        audit.entries[0].correlation_id.as_deref(),
        Some(id.to_string().as_str())
    );
    assert_eq!(audit.entries[0].target_type.as_deref(), Some("run"));
    assert_eq!(audit.entries[0].target_id, Some(id.to_string()));
}

#[tokio::test]
async fn a_run_of_a_missing_template_version_changes_nothing() {
    let (_db, mut conn) = setup().await;
    let mut run = new_run("web-1", None);
    run.template_version = 7;
    let err = runs::create(&mut conn, &run, entry("run.create"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RunError::NoSuchTemplateVersion { version: 7, .. }),
        "{err:?}"
    );
    assert!(
        runs::list(&mut conn, &RunFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
    let audit = audit::list(&mut conn, &AuditFilter::default(), Page::new(50, 0))
        .await
        .unwrap();
    assert!(audit.entries.iter().all(|r| r.action != "run.create"));
}

#[tokio::test]
async fn unfinished_runs_never_share_a_vmid() {
    let (_db, mut conn) = setup().await;
    create(&mut conn, "a", Some(150)).await;
    let err = runs::create(&mut conn, &new_run("b", Some(150)), entry("run.create"))
        .await
        .unwrap_err();
    assert!(matches!(err, RunError::VmidTaken(150)), "{err:?}");
}

#[tokio::test]
async fn only_the_current_claim_may_write() {
    let (_db, mut conn) = setup().await;
    let id = create(&mut conn, "web-1", None).await;
    let first = Uuid::new_v4();
    let run = runs::claim(&mut conn, id, first, "worker-a")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(run.state(), RunState::Running);
    assert_eq!(run.summary.attempt, 1);
    runs::save_checkpoint(
        &mut conn,
        id,
        first,
        Stage::CreateContainer,
        &json!({"upid": "U1"}),
        Some(120),
        Some("pve1"),
    )
    .await
    .unwrap();

    // The lease moved to another worker (the first one stalled): the old token is fenced off.
    let second = Uuid::new_v4();
    let run = runs::claim(&mut conn, id, second, "worker-b")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(run.summary.attempt, 2);
    assert_eq!(run.checkpoint, json!({"upid": "U1"}));
    assert_eq!(run.summary.vmid, Some(120));
    let stale = runs::save_checkpoint(
        &mut conn,
        id,
        first,
        Stage::StartContainer,
        &json!({}),
        Some(120),
        Some("pve1"),
    )
    .await;
    assert!(matches!(stale, Err(RunError::ClaimLost)), "{stale:?}");
    let stale = runs::append_event(
        &mut conn,
        id,
        Some(first),
        &RunEvent::Progress {
            stage: Stage::StartContainer,
            percent: 50,
        },
    )
    .await;
    assert!(matches!(stale, Err(RunError::ClaimLost)), "{stale:?}");
    assert!(matches!(
        runs::finish(&mut conn, id, first, RunState::Succeeded, None).await,
        Err(RunError::ClaimLost)
    ));

    runs::finish(&mut conn, id, second, RunState::Succeeded, None)
        .await
        .unwrap();
    let run = runs::get(&mut conn, id).await.unwrap();
    assert_eq!(run.state(), RunState::Succeeded);
    assert!(run.summary.finished_at.is_some() && run.summary.duration_ms.is_some());
    // A finished run is not claimed again: its job has nothing left to do.
    assert!(
        runs::claim(&mut conn, id, Uuid::new_v4(), "worker-c")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn cancel_ends_a_queued_run_and_asks_a_running_one_to_stop() {
    let (_db, mut conn) = setup().await;
    let queued = create(&mut conn, "q", Some(130)).await;
    assert_eq!(
        runs::request_cancel(&mut conn, queued).await.unwrap(),
        CancelOutcome::Cancelled
    );
    assert_eq!(
        runs::get(&mut conn, queued).await.unwrap().state(),
        RunState::Cancelled
    );
    // Its VMID is free again.
    create(&mut conn, "q2", Some(130)).await;

    let running = create(&mut conn, "r", None).await;
    runs::claim(&mut conn, running, Uuid::new_v4(), "w")
        .await
        .unwrap();
    assert_eq!(
        runs::request_cancel(&mut conn, running).await.unwrap(),
        CancelOutcome::Requested
    );
    let run = runs::get(&mut conn, running).await.unwrap();
    assert!(run.cancel_requested && run.state() == RunState::Running);

    assert!(matches!(
        runs::request_cancel(&mut conn, queued).await,
        Err(RunError::WrongState(state)) if state == "cancelled"
    ));
    assert!(matches!(
        runs::request_cancel(&mut conn, Uuid::new_v4()).await,
        Err(RunError::NotFound)
    ));
}

#[tokio::test]
async fn a_failed_run_is_retried_from_its_checkpoint() {
    let (_db, mut conn) = setup().await;
    let id = failed_at(&mut conn, "web-1", Stage::RunScripts, 140).await;
    assert!(matches!(
        runs::retry(&mut conn, Uuid::new_v4(), None).await,
        Err(RunError::NotFound)
    ));

    runs::retry(&mut conn, id, None).await.unwrap();
    let run = runs::get(&mut conn, id).await.unwrap();
    assert_eq!(run.state(), RunState::Queued);
    assert_eq!(run.summary.error, None);
    assert_eq!(run.summary.stage, Some(Stage::RunScripts));
    assert_eq!(run.checkpoint, json!({"vmid": 140}));
    assert!(
        matches!(runs::retry(&mut conn, id, None).await, Err(RunError::WrongState(s)) if s == "queued")
    );
}

#[tokio::test]
async fn a_failed_run_may_go_back_to_an_earlier_stage() {
    let (_db, mut conn) = setup().await;
    let id = failed_at(&mut conn, "web-2", Stage::RunScripts, 141).await;
    runs::retry(&mut conn, id, Some(Stage::InstallPackages))
        .await
        .unwrap();
    let run = runs::get(&mut conn, id).await.unwrap();
    assert_eq!(run.state(), RunState::Queued);
    assert_eq!(run.summary.stage, Some(Stage::InstallPackages));
    // What the earlier attempt learnt (its VMID) is kept: the stages resume from it.
    assert_eq!(run.checkpoint, json!({"vmid": 141}));
}

#[tokio::test]
async fn a_retry_whose_vmid_was_taken_meanwhile_is_refused() {
    let (_db, mut conn) = setup().await;
    let id = failed_at(&mut conn, "first", Stage::CreateContainer, 160).await;
    create(&mut conn, "second", Some(160)).await;
    assert!(matches!(
        runs::retry(&mut conn, id, None).await,
        Err(RunError::VmidTaken(160))
    ));
    assert_eq!(
        runs::get(&mut conn, id).await.unwrap().state(),
        RunState::Failed
    );
}

#[tokio::test]
async fn lists_filter_newest_first_and_the_reconciler_sees_unfinished_runs() {
    let (_db, mut conn) = setup().await;
    let a = create(&mut conn, "a", None).await;
    let b = create(&mut conn, "b", None).await;
    let c = create(&mut conn, "c", None).await;
    let token = Uuid::new_v4();
    runs::claim(&mut conn, b, token, "w").await.unwrap();
    runs::claim(&mut conn, c, Uuid::new_v4(), "w")
        .await
        .unwrap();
    runs::request_cancel(&mut conn, a).await.unwrap();

    let all = runs::list(&mut conn, &RunFilter::default()).await.unwrap();
    assert_eq!(
        all.iter().map(|r| r.hostname.as_str()).collect::<Vec<_>>(),
        ["c", "b", "a"]
    );
    let running = RunFilter {
        state: Some(RunState::Running),
        ..RunFilter::default()
    };
    assert_eq!(runs::list(&mut conn, &running).await.unwrap().len(), 2);
    let other = RunFilter {
        template: Some("other".into()),
        ..RunFilter::default()
    };
    assert!(runs::list(&mut conn, &other).await.unwrap().is_empty());
    let one = RunFilter {
        limit: 1,
        ..RunFilter::default()
    };
    assert_eq!(runs::list(&mut conn, &one).await.unwrap().len(), 1);

    let mut unfinished = runs::unfinished_ids(&mut conn).await.unwrap();
    unfinished.sort();
    let mut expected = vec![b, c];
    expected.sort();
    assert_eq!(unfinished, expected);
    // Releasing (worker shutdown) gives the attempt back and keeps it unfinished.
    runs::release(&mut conn, b, token).await.unwrap();
    let run = runs::get(&mut conn, b).await.unwrap();
    assert_eq!((run.state(), run.summary.attempt), (RunState::Queued, 0));
}
