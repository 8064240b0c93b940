//! Admin → Backups and the readiness page's backup status: an admin lists the folder, backs up
//! now (audited), and downloads a dump and its manifest; nobody else may; a name outside the
//! folder's list is never served; a second backup while one is written is refused; a failure is
//! shown until a backup succeeds.

use crate::support::{Setup, TestApp, app, without_markers};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use berth_db::Page;
use berth_db::audit::{self, AuditFilter};
use berth_domain::Role;
use http_body_util::BodyExt as _;
use serde_json::Value;
use std::time::Duration;
use tower::ServiceExt as _;

async fn backups_app(dir: &std::path::Path) -> TestApp {
    app(Setup {
        backup_dir: Some(dir.to_path_buf()),
        ..Setup::default()
    })
    .await
}

async fn call(app: &TestApp, cookie: &str, endpoint: &str) -> (StatusCode, Value) {
    let request = Request::post(format!("/api/fn/admin/backups{endpoint}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::empty())
        .unwrap();
    let (response, body) = app.send(request).await;
    let value = serde_json::from_str(&body).unwrap_or(Value::String(body));
    (response.status(), value)
}

async fn audited(app: &TestApp) -> Vec<String> {
    let mut conn = app.pool.get().await.unwrap();
    let filter = AuditFilter {
        action: Some("backup.create".to_string()),
        ..AuditFilter::default()
    };
    audit::list(&mut conn, &filter, Page::default())
        .await
        .unwrap()
        .entries
        .into_iter()
        .map(|entry| entry.outcome.key().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_backs_up_now_lists_and_downloads() {
    let dir = tempfile::tempdir().unwrap();
    let app = backups_app(&dir.path().join("backups")).await;
    let admin = app.sign_in_as(Role::Admin).await;

    let (status, overview) = call(&app, &admin, "").await;
    assert_eq!(status, StatusCode::OK, "{overview}");
    assert_eq!(overview["plan"]["keep"], 3);
    assert_eq!(overview["backups"], serde_json::json!([]));
    let (_, home) = app.get_as("/", &admin).await;
    assert!(
        home.contains(r#"data-testid="backup-status" data-status="none""#),
        "{home}"
    );

    let (status, made) = call(&app, &admin, "/create").await;
    assert_eq!(status, StatusCode::OK, "{made}");
    let name = made["name"].as_str().unwrap().to_string();
    assert!(made["intact"].as_bool().unwrap());
    assert_eq!(audited(&app).await, ["success"]);

    let (_, overview) = call(&app, &admin, "").await;
    assert_eq!(overview["backups"][0]["name"], name.as_str());
    assert_eq!(overview["backups"][0]["intact"], true);
    assert_eq!(overview["last_failure"], Value::Null);

    // The dump, byte for byte, as a download; and its manifest.
    let request = Request::get(format!("/admin/backups/{name}"))
        .header(header::COOKIE, &admin)
        .body(Body::empty())
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_string();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(bytes.len() as u64, made["bytes"].as_u64().unwrap());
    let written = std::fs::read(dir.path().join("backups").join(&name)).unwrap();
    assert!(bytes[..] == written[..], "the download is the dump");
    assert_eq!(disposition, format!("attachment; filename=\"{name}\""));
    let (response, manifest) = app
        .get_as(&format!("/admin/backups/{name}.manifest.json"), &admin)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let manifest: Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(manifest["dump_bytes"], made["bytes"]);

    // The readiness page and /api/ready tell when the last one was written.
    let (_, ready) = app.get("/api/ready").await;
    let ready: Value = serde_json::from_str(&ready).unwrap();
    let last = ready["backup"]["last_success"].as_str().unwrap();
    assert_eq!(last[..19], made["created_at"].as_str().unwrap()[..19]);
    let (_, home) = app.get_as("/", &admin).await;
    let home = without_markers(&home);
    assert!(
        home.contains(r#"data-testid="backup-status" data-status="ok""#),
        "{home}"
    );
    assert!(home.contains(last), "{home}");
}

#[tokio::test(flavor = "multi_thread")]
async fn only_listed_backups_are_served_and_only_to_admins() {
    let dir = tempfile::tempdir().unwrap();
    let backups = dir.path().join("backups");
    let app = backups_app(&backups).await;
    let admin = app.sign_in_as(Role::Admin).await;
    let (_, made) = call(&app, &admin, "/create").await;
    let name = made["name"].as_str().unwrap();
    std::fs::write(dir.path().join("secret.txt"), "not a backup").unwrap();
    std::fs::write(backups.join("stray.dump"), "no manifest").unwrap();

    for path in [
        "/admin/backups/stray.dump",
        "/admin/backups/..%2Fsecret.txt",
        "/admin/backups/%2E%2E",
        "/admin/backups/nothing.dump.manifest.json",
    ] {
        let (response, body) = app.get_as(path, &admin).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}: {body}");
    }

    for role in [Role::Viewer, Role::Operator] {
        let cookie = app.sign_in_as(role).await;
        let (response, _) = app.get_as(&format!("/admin/backups/{name}"), &cookie).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{role:?}");
        for endpoint in ["", "/create"] {
            let (status, body) = call(&app, &cookie, endpoint).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{role:?} {endpoint}: {body}");
        }
    }
    let (response, _) = app.get(&format!("/admin/backups/{name}")).await;
    assert_ne!(response.status(), StatusCode::OK, "signed out");
    assert_eq!(audited(&app).await, ["success"], "refusals wrote nothing");
    assert_eq!(
        std::fs::read_dir(&backups).unwrap().count(),
        3,
        "one dump, its manifest, the stray"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_being_written_elsewhere_is_waited_for_not_doubled() {
    let dir = tempfile::tempdir().unwrap();
    let app = backups_app(dir.path()).await;
    let admin = app.sign_in_as(Role::Admin).await;
    let slots = app.queue.node_slots();
    let elsewhere = slots
        .acquire("backup", "another-server", 1, Duration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    let (status, body) = call(&app, &admin, "/create").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body.to_string().contains("being written right now"),
        "{body}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    elsewhere.release().await.unwrap();
    let (status, body) = call(&app, &admin, "/create").await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_backup_is_shown_until_one_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    // A folder that cannot be made: its parent is a file.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "a file").unwrap();
    let app = backups_app(&blocker.join("backups")).await;
    let admin = app.sign_in_as(Role::Admin).await;

    let (status, body) = call(&app, &admin, "/create").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.to_string().contains("The backup failed"), "{body}");
    assert_eq!(audited(&app).await, ["failure"]);
    let (_, overview) = call(&app, &admin, "").await;
    assert!(
        overview["last_failure"][1].as_str().unwrap().len() > 3,
        "{overview}"
    );
    let (_, ready) = app.get("/api/ready").await;
    let ready: Value = serde_json::from_str(&ready).unwrap();
    assert_eq!(ready["backup"]["last_success"], Value::Null);
    assert!(ready["backup"]["last_failure"]["at"].is_string(), "{ready}");
    // /api/ready is public: it tells when, never why (the reason may name hosts and users).
    assert!(
        ready["backup"]["last_failure"].get("error").is_none(),
        "{ready}"
    );
    let (_, home) = app.get_as("/", &admin).await;
    assert!(home.contains(r#"data-status="failing""#), "{home}");

    // Once the folder can be made, the next backup clears it.
    std::fs::remove_file(&blocker).unwrap();
    let (status, body) = call(&app, &admin, "/create").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, overview) = call(&app, &admin, "").await;
    assert_eq!(overview["last_failure"], Value::Null);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_backup_folder_the_page_says_backups_are_off() {
    let app = app(Setup::default()).await;
    let admin = app.sign_in_as(Role::Admin).await;
    let (status, overview) = call(&app, &admin, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(overview["plan"], Value::Null);
    let (status, body) = call(&app, &admin, "/create").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.to_string().contains("BERTH_BACKUP_DIR"), "{body}");
    let (response, _) = app.get_as("/admin/backups/x.dump", &admin).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let (_, ready) = app.get("/api/ready").await;
    assert!(!ready.contains("\"backup\""), "{ready}");
    let (_, page) = app.get_as("/admin", &admin).await;
    assert!(page.contains("backups-off"), "{page}");
}
