//! A run through the Proxmox stages: the container exists with the spec's config, events are
//! numbered in order (in Postgres and on Redis), and the run stops, honestly, before the SSH
//! stages.

use crate::support::{Harness, NODE, TestAttempt};
use berth_domain::container::{NodeChoice, VmidChoice};
use berth_domain::run::{LogStream, RunEvent, RunState, SequencedEvent, Stage};
use berth_jobs::{JobOutcome, Received};
use berth_provision::{Checkpoint, PROXMOX_STAGES};
use berth_pve::types::GuestStatus;
use std::time::Duration;

#[tokio::test]
async fn a_run_creates_starts_and_addresses_its_container_then_stops_before_ssh() {
    let h = Harness::start().await;
    let id = h.create_run(&h.spec("web1")).await;
    let events = h.queue.events();
    let mut live = events.subscribe(&[events.run_channel(id)]).await.unwrap();

    let outcome = h.provisioner().run(&TestAttempt::new(id, 1)).await;
    assert_eq!(outcome, JobOutcome::Fail);

    let run = h.run_record(id).await;
    assert_eq!(run.state(), RunState::Failed);
    assert_eq!(run.summary.stage, Some(Stage::Connect));
    let error = run.summary.error.clone().unwrap();
    assert!(
        error.starts_with("incomplete: stopped before \"Connect over SSH\""),
        "{error}"
    );
    let checkpoint = Checkpoint::from_json(&run.checkpoint).unwrap();
    let vmid = checkpoint.vmid.unwrap();
    assert_eq!(run.summary.vmid, Some(vmid as i32));
    assert_eq!(run.summary.node.as_deref(), Some(NODE));
    assert!(checkpoint.create_upid.is_some() && checkpoint.start_upid.is_some());
    let address = checkpoint.address.clone().unwrap();
    assert!(
        error.contains(&format!("CT {vmid} on {NODE} at {address} is kept")),
        "{error}"
    );

    let pve = h.pve();
    let config = pve.lxc_config(NODE, vmid, false).await.unwrap();
    let tags = config.tags.clone().unwrap();
    let tags: Vec<&str> = tags.split(';').collect();
    assert!(tags.contains(&"berth") && tags.contains(&"lab"), "{tags:?}");
    assert!(
        tags.contains(&format!("berth-run-{id}").as_str()),
        "{tags:?}"
    );
    assert_eq!(config.hostname.as_deref(), Some("web1"));
    assert_eq!(config.cores, Some(2));
    assert_eq!(config.memory, Some(1024));
    assert!(config.unprivileged);
    assert!(config.rootfs.as_deref().unwrap().starts_with("local-lvm:"));
    let net0 = config.nets()[&0].to_owned();
    assert!(
        net0.contains("bridge=vmbr0") && net0.contains("ip=dhcp"),
        "{net0}"
    );
    assert_eq!(
        pve.lxc_status(NODE, vmid).await.unwrap().status,
        GuestStatus::Running
    );
    // The creation slot was given back.
    assert_eq!(h.queue.node_slots().holders(NODE).await.unwrap(), 0);

    let stored = h.events(id).await;
    let seqs: Vec<i64> = stored.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=stored.len() as i64).collect::<Vec<_>>());
    let stages: Vec<(Stage, bool)> = stored
        .iter()
        .filter_map(|e| match e.event {
            RunEvent::StageStarted { stage, .. } => Some((stage, true)),
            RunEvent::StageFinished { stage, .. } => Some((stage, false)),
            _ => None,
        })
        .collect();
    let expected: Vec<(Stage, bool)> = PROXMOX_STAGES
        .iter()
        .flat_map(|s| [(*s, true), (*s, false)])
        .collect();
    assert_eq!(stages, expected);
    // The create task's log is in the run's log.
    assert!(stored.iter().any(|e| matches!(
        &e.event,
        RunEvent::Log { stage: Some(Stage::CreateContainer), stream: LogStream::Stdout, line }
            if line == "TASK OK"
    )));
    assert!(matches!(
        stored.last().unwrap().event,
        RunEvent::State {
            state: RunState::Failed,
            ..
        }
    ));

    // The same events went out live, in order.
    let mut published: Vec<SequencedEvent> = Vec::new();
    while published.len() < stored.len() {
        match tokio::time::timeout(Duration::from_secs(2), live.recv()).await {
            Ok(Some(Received::Message(m))) => {
                published.push(serde_json::from_str(&m.payload).unwrap())
            }
            Ok(Some(Received::Gap)) => {}
            other => panic!(
                "expected {} events, got {} then {other:?}",
                stored.len(),
                published.len()
            ),
        }
    }
    assert_eq!(published, stored);
}

#[tokio::test]
async fn two_runs_choosing_auto_get_different_vmids_and_nodes_are_picked() {
    let h = Harness::start().await;
    let mut a = h.spec("auto-a");
    a.identity.node = NodeChoice::Auto;
    let b = h.spec("auto-b");
    assert_eq!(b.identity.vmid, VmidChoice::Auto);
    let (a, b) = (h.create_run(&a).await, h.create_run(&b).await);
    let provisioner = h.provisioner();
    let (first, second) = (TestAttempt::new(a, 1), TestAttempt::new(b, 1));
    let (ra, rb) = tokio::join!(provisioner.run(&first), provisioner.run(&second));
    assert_eq!((ra, rb), (JobOutcome::Fail, JobOutcome::Fail));
    let (a, b) = (h.run_record(a).await, h.run_record(b).await);
    assert_eq!(
        a.summary.stage,
        Some(Stage::Connect),
        "{:?}",
        a.summary.error
    );
    assert_eq!(
        b.summary.stage,
        Some(Stage::Connect),
        "{:?}",
        b.summary.error
    );
    assert_ne!(a.summary.vmid, b.summary.vmid);
    assert!(a.summary.node.is_some());
}

#[tokio::test]
async fn an_offline_node_is_skipped_by_auto_and_waited_for_when_named() {
    let h = Harness::start().await;
    h.set_faults(serde_json::json!({"offline_nodes": [NODE]}))
        .await;
    let mut auto = h.spec("elsewhere");
    auto.identity.node = NodeChoice::Auto;
    let auto = h.create_run(&auto).await;
    h.provisioner().run(&TestAttempt::new(auto, 1)).await;
    let run = h.run_record(auto).await;
    assert_eq!(
        run.summary.stage,
        Some(Stage::Connect),
        "{:?}",
        run.summary.error
    );
    assert_eq!(run.summary.node.as_deref(), Some("pve2"));

    let named = h.create_run(&h.spec("pinned")).await;
    let outcome = h.provisioner().run(&TestAttempt::new(named, 1)).await;
    assert_eq!(outcome, JobOutcome::RETRY);
    let run = h.run_record(named).await;
    assert_eq!(run.state(), RunState::Running);
    assert_eq!(run.summary.stage, Some(Stage::ReserveVmid));
}

#[tokio::test]
async fn more_runs_than_vmid_tries_each_reserve_their_own_vmid_before_any_exists() {
    // Every creation fails, so nothing exists in Proxmox and every run (retried later, its VMID
    // kept) is offered the same next id: it must step past the reservations of all the runs
    // before it, more of them than `vmid_tries` (32).
    let h = Harness::start().await;
    h.set_faults(serde_json::json!({"fail_tasks": {"vzcreate": ""}}))
        .await;
    let provisioner = h.provisioner();
    let mut vmids = std::collections::BTreeSet::new();
    for i in 0..40 {
        let id = h.create_run(&h.spec(&format!("many-{i}"))).await;
        let outcome = provisioner.run(&TestAttempt::new(id, 1)).await;
        assert_eq!(outcome, JobOutcome::RETRY, "run {i}");
        let record = h.run_record(id).await;
        let vmid = record
            .summary
            .vmid
            .unwrap_or_else(|| panic!("run {i} reserved nothing: {:?}", record.summary.error));
        assert!(vmids.insert(vmid), "VMID {vmid} reserved twice");
    }
}

#[tokio::test]
async fn a_reserved_id_below_a_block_of_existing_guests_costs_no_tries() {
    // The first run's creation keeps failing, so it holds Proxmox's lowest free id; above it
    // stand more guests than `vmid_tries` (32). A later run is offered that held id, and must
    // find the first id past the block.
    let h = Harness::start().await;
    h.set_faults(serde_json::json!({"fail_tasks": {"vzcreate": ""}}))
        .await;
    let holder = h.create_run(&h.spec("holder")).await;
    h.provisioner().run(&TestAttempt::new(holder, 1)).await;
    let held = u32::try_from(h.run_record(holder).await.summary.vmid.unwrap()).unwrap();
    h.set_faults(serde_json::json!({})).await;

    let pve = h.pve();
    for vmid in held + 1..=held + 40 {
        let mut guest = berth_pve::types::CreateLxc::new(
            vmid,
            "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
        );
        guest.rootfs = Some("local-lvm:0.1".into());
        let upid = pve.create_lxc(NODE, &guest).await.unwrap();
        pve.wait_task(&upid, Duration::from_secs(30)).await.unwrap();
    }

    let later = h.create_run(&h.spec("later")).await;
    h.provisioner().run(&TestAttempt::new(later, 1)).await;
    let record = h.run_record(later).await;
    assert_eq!(
        record.summary.vmid,
        Some(i32::try_from(held + 41).unwrap()),
        "{:?}",
        record.summary.error
    );
}
