//! A failed run's choices against real Postgres, Redis and the simulator: `runs/retry` puts it
//! back in the queue at the stage that failed or an earlier one, `runs/discard` destroys the
//! container it left through the containers' own action path; each refusal is specific and
//! writes nothing.

use crate::container_actions::{row, world};
use crate::create_container::{audited, call, create, valid_spec};
use axum::http::StatusCode;
use berth_db::runs;
use berth_domain::Role;
use berth_domain::run::{RunEvent, RunState, Stage};
use berth_jobs::JobState;
use serde_json::json;
use uuid::Uuid;

const VMID: u32 = 4300;

/// What the worker would have written for a run that failed running its scripts on `VMID`.
async fn fail_at_scripts(app: &crate::support::TestApp, id: Uuid) {
    let mut conn = app.pool.get().await.unwrap();
    let token = Uuid::new_v4();
    runs::claim(&mut conn, id, token, "w1").await.unwrap();
    let checkpoint = json!({ "vmid": VMID, "node": "pve1" });
    let vmid = Some(VMID as i32);
    runs::save_checkpoint(
        &mut conn,
        id,
        token,
        Stage::RunScripts,
        &checkpoint,
        vmid,
        Some("pve1"),
    )
    .await
    .unwrap();
    let error = Some("script 1 exited with 2");
    runs::finish(&mut conn, id, token, RunState::Failed, error)
        .await
        .unwrap();
}

fn form(id: Uuid, extra: &str) -> String {
    format!("id={id}&{extra}")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_run_is_retried_or_its_container_destroyed() {
    let world = world().await;
    let app = &world.app;
    world.container(VMID, false).await;
    let owner = app.sign_in_as(Role::Operator).await;
    let other = app.sign_in_as(Role::Operator).await;
    let (_, body) = create(app, &owner, &valid_spec(app).await).await;
    let id: Uuid = serde_json::from_str(&body).unwrap();
    let tagged = id.to_string();
    world
        .snapshot(vec![row(VMID, "running", Some(&tagged))])
        .await;

    // Still queued: nothing to recover yet.
    let (status, body) = call(app, &owner, "runs/retry", form(id, "from=")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("only a failed run"), "{body}");

    fail_at_scripts(app, id).await;
    let (status, body) = call(app, &owner, "runs/get", format!("id={id}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let view: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(view["can_recover"], true);
    assert_eq!(view["container"]["vmid"], VMID);
    let (_, body) = call(app, &other, "runs/get", format!("id={id}")).await;
    let view: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(view["can_recover"], false, "someone else's run");

    // (who, endpoint, extra form fields, status, what the message says)
    let refusals = [
        (
            &other,
            "runs/retry",
            "from=",
            StatusCode::FORBIDDEN,
            "admin role to retry",
        ),
        (
            &owner,
            "runs/retry",
            "from=verify",
            StatusCode::BAD_REQUEST,
            "not skip to",
        ),
        (
            &owner,
            "runs/retry",
            "from=teleport",
            StatusCode::BAD_REQUEST,
            "is not a stage",
        ),
        (
            &other,
            "runs/discard",
            "confirm=ct4300",
            StatusCode::FORBIDDEN,
            "admin role",
        ),
        (
            &owner,
            "runs/discard",
            "confirm=ct43",
            StatusCode::BAD_REQUEST,
            "Type the container's name",
        ),
    ];
    for (who, endpoint, extra, expected, says) in refusals {
        let (status, body) = call(app, who, endpoint, form(id, extra)).await;
        assert_eq!(status, expected, "{endpoint} {extra}: {body}");
        assert!(body.contains(says), "{endpoint} {extra}: {body}");
    }
    let mut conn = app.pool.get().await.unwrap();
    let run = runs::get(&mut conn, id).await.unwrap();
    assert_eq!(run.state(), RunState::Failed, "a refusal changes nothing");
    assert!(
        berth_db::actions::current(&mut conn, 3600)
            .await
            .unwrap()
            .is_empty()
    );
    drop(conn);

    // Destroy what it made: the same action path as the containers page.
    let (status, body) = call(app, &owner, "runs/discard", form(id, "confirm=ct4300")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let action: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (action["kind"].as_str(), action["vmid"].as_u64()),
        (Some("destroy"), Some(4300))
    );
    assert_eq!(audited(app, "container.destroy").await.len(), 1);

    // Or go back to an earlier stage: queued again at that stage, audited, told to followers.
    let (status, body) = call(app, &owner, "runs/retry", form(id, "from=install_packages")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut conn = app.pool.get().await.unwrap();
    let run = runs::get(&mut conn, id).await.unwrap();
    assert_eq!(run.state(), RunState::Queued);
    assert_eq!(run.summary.stage, Some(Stage::InstallPackages));
    assert_eq!(run.summary.error, None);
    assert_eq!(app.queue.state(id).await.unwrap(), Some(JobState::Ready));
    let events = runs::events_after(&mut conn, id, 0, 100).await.unwrap();
    let said = |needle: &str| {
        events
            .iter()
            .any(|e| matches!(&e.event, RunEvent::Log { line, .. } if line.contains(needle)))
    };
    assert!(said("Retry from \"Install packages\""), "{events:?}");
    assert!(said("Destroy of CT 4300 (ct4300) requested"), "{events:?}");
    let entries = audited(app, "container.retry").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].details["from"], "install_packages");

    let (status, body) = call(app, &owner, "runs/retry", form(id, "from=")).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "once queued it is no longer failed: {body}"
    );
}
