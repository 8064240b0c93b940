//! Failures and how they end a run: terminal ones (a VMID in use, a missing privilege) fail it
//! at once; retryable ones (a failing task, a lock timeout) ask for another attempt until the
//! last; a cancel request ends it between stages.

use crate::support::{AUDITOR, Harness, NODE, PROVISIONER, TestAttempt, until_stage_started};
use berth_db::runs;
use berth_domain::container::VmidChoice;
use berth_domain::run::{LogStream, RunEvent, RunState, Stage};
use berth_jobs::JobOutcome;
use berth_pve::types::CreateLxc;
use serde_json::json;
use std::time::Duration;

fn stage_failures(events: &[berth_domain::run::SequencedEvent]) -> Vec<(Stage, String, bool)> {
    events
        .iter()
        .filter_map(|e| match &e.event {
            RunEvent::StageFailed {
                stage,
                error,
                retrying,
                ..
            } => Some((*stage, error.clone(), *retrying)),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_chosen_vmid_used_in_proxmox_fails_the_run_naming_it() {
    let h = Harness::start().await;
    let admin = h.client_as(PROVISIONER);
    let mut existing = CreateLxc::new(150, h.template.os_template.clone());
    existing.rootfs = Some("local-lvm:4".into());
    let upid = admin.create_lxc(NODE, &existing).await.unwrap();
    admin
        .wait_task(&upid, Duration::from_secs(20))
        .await
        .unwrap();

    let mut spec = h.spec("clash");
    spec.identity.vmid = VmidChoice::Chosen(150);
    let id = h.create_run(&spec).await;
    let outcome = h.provisioner().run(&TestAttempt::new(id, 1)).await;
    assert_eq!(outcome, JobOutcome::Fail);
    let run = h.run_record(id).await;
    assert_eq!(run.state(), RunState::Failed);
    let error = run.summary.error.unwrap();
    assert_eq!(error, "VMID 150 is already used in Proxmox (on node pve1)");
    let failures = stage_failures(&h.events(id).await);
    assert_eq!(failures, vec![(Stage::ReserveVmid, error, false)]);
}

#[tokio::test]
async fn a_token_without_vm_allocate_fails_the_run_naming_the_privilege() {
    let h = Harness::start_as(AUDITOR).await;
    let id = h.create_run(&h.spec("denied")).await;
    let outcome = h.provisioner().run(&TestAttempt::new(id, 1)).await;
    assert_eq!(outcome, JobOutcome::Fail);
    let run = h.run_record(id).await;
    assert_eq!(run.state(), RunState::Failed);
    assert_eq!(run.summary.stage, Some(Stage::CreateContainer));
    let error = run.summary.error.unwrap();
    assert!(
        error.contains("403") && error.contains("VM.Allocate"),
        "{error}"
    );
    assert!(h.tagged(id).await.is_empty());
}

#[tokio::test]
async fn a_failing_create_task_is_retried_and_fails_the_run_on_the_last_attempt() {
    let h = Harness::start().await;
    h.set_faults(json!({"fail_tasks": {"vzcreate": ""}})).await;
    let id = h.create_run(&h.spec("flaky")).await;
    let provisioner = h.provisioner();
    let outcome = provisioner.run(&TestAttempt::new(id, 1)).await;
    assert_eq!(outcome, JobOutcome::RETRY);
    let run = h.run_record(id).await;
    assert_eq!(run.state(), RunState::Running);
    assert_eq!(run.summary.stage, Some(Stage::CreateContainer));
    let failures = stage_failures(&h.events(id).await);
    assert_eq!(failures.len(), 1);
    assert!(failures[0].1.contains("simulated failure"), "{failures:?}");
    assert!(failures[0].2, "retrying");
    assert!(h.events(id).await.iter().any(|e| matches!(
        &e.event,
        RunEvent::Log { stream: LogStream::Stderr, line, .. } if line.starts_with("TASK ERROR: ")
    )));

    let outcome = provisioner.run(&TestAttempt::new(id, 2).last()).await;
    assert_eq!(outcome, JobOutcome::Fail);
    let run = h.run_record(id).await;
    assert_eq!(run.state(), RunState::Failed);
    assert!(!stage_failures(&h.events(id).await)[1].2);
    assert!(h.tagged(id).await.is_empty());

    // Once Proxmox behaves, a retry from the UI resumes and creates it.
    runs::retry(&mut h.conn().await, id, None).await.unwrap();
    h.assert_completes_with_one_container(id, 3).await;
}

#[tokio::test]
async fn a_lock_timeout_is_retryable() {
    let h = Harness::start().await;
    h.set_faults(json!({"lock_timeout": true})).await;
    let id = h.create_run(&h.spec("locked")).await;
    let outcome = h.provisioner().run(&TestAttempt::new(id, 1)).await;
    assert_eq!(outcome, JobOutcome::RETRY);
    let failures = stage_failures(&h.events(id).await);
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(failures[0].1.contains("got timeout"), "{failures:?}");
    assert!(failures[0].2);
    assert_eq!(h.run_record(id).await.state(), RunState::Running);
}

#[tokio::test]
async fn a_cancel_request_ends_the_run_between_stages() {
    let h = Harness::start().await;
    h.slow_container_calls().await;
    let id = h.create_run(&h.spec("cancelled")).await;
    let running = h.spawn_attempt(&TestAttempt::new(id, 1));
    until_stage_started(&h, id, Stage::CreateContainer).await;
    runs::request_cancel(&mut h.conn().await, id).await.unwrap();

    assert_eq!(running.await.unwrap(), JobOutcome::Fail);
    let run = h.run_record(id).await;
    assert_eq!(run.state(), RunState::Cancelled);
    let events = h.events(id).await;
    // The stage in progress finished; the next one never started.
    assert!(events.iter().any(|e| matches!(
        e.event,
        RunEvent::StageFinished {
            stage: Stage::CreateContainer,
            ..
        }
    )));
    assert!(!events.iter().any(|e| matches!(
        e.event,
        RunEvent::StageStarted {
            stage: Stage::StartContainer,
            ..
        }
    )));
    assert!(matches!(
        events.last().unwrap().event,
        RunEvent::State {
            state: RunState::Cancelled,
            ..
        }
    ));
}

#[tokio::test]
async fn an_unreadable_spec_fails_the_run_before_any_stage() {
    let h = Harness::start().await;
    let run = runs::NewRun {
        template_name: "web",
        template_version: 1,
        hostname: "odd",
        spec: json!({"identity": {"hostname": "odd"}}),
        secrets: json!({}),
        vmid: None,
        requested_by: None,
        requested_by_name: "Olga Operator",
    };
    let entry = berth_db::audit::NewAuditEntry::new(
        "Olga Operator",
        "run.create",
        berth_db::audit::Outcome::Success,
    );
    let id = runs::create(&mut h.conn().await, &run, entry)
        .await
        .unwrap();
    let outcome = h.provisioner().run(&TestAttempt::new(id, 1)).await;
    assert_eq!(outcome, JobOutcome::Fail);
    let run = h.run_record(id).await;
    assert_eq!(run.state(), RunState::Failed);
    let error = run.summary.error.unwrap();
    assert!(error.starts_with("the run's spec is invalid"), "{error}");
    assert!(stage_failures(&h.events(id).await).is_empty());
}
