//! `GET /api/v1/audit`: admin tokens only, filters, paging, and the CSV/JSON export.

use crate::api_v1::{get_bearer, get_with, json, token_for};
use crate::support::{Setup, TestApp, app};
use axum::http::{StatusCode, header};
use berth_db::audit::{self, NewAuditEntry, Outcome};
use berth_db::users::User;
use berth_domain::Role;
use chrono::{TimeDelta, Utc};

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test]
async fn the_audit_trail_needs_an_admin_token() {
    let app = app(Setup::default()).await;
    let operator = app.create_user("opal", Role::Operator, PASSWORD).await;
    let admin = app.create_user("ada", Role::Admin, PASSWORD).await;
    let (_, viewer_token) = token_for(&app, &admin, Role::Viewer, None).await;
    let (_, operator_token) = token_for(&app, &operator, Role::Operator, None).await;
    for token in [&viewer_token, &operator_token] {
        let (response, body) = get_bearer(&app, "/api/v1/audit", token).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{body}");
        assert_eq!(
            json(&body)["error"],
            "You need the admin role to view the audit trail."
        );
    }
    let (_, admin_token) = token_for(&app, &admin, Role::Admin, None).await;
    let (response, body) = get_bearer(&app, "/api/v1/audit", &admin_token).await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
}

async fn seed(app: &TestApp, actor: &User) {
    let mut conn = app.pool.get().await.unwrap();
    let entries = [
        NewAuditEntry::new("ada", "token.create", Outcome::Success)
            .actor(actor.id)
            .target("api_token", "t1"),
        NewAuditEntry::new("ada", "token.revoke", Outcome::Success).target("api_token", "t1"),
        NewAuditEntry::new("ada", "login", Outcome::Success).actor(actor.id),
        NewAuditEntry::new("=cmd|' /C calc'!A0", "login_failed", Outcome::Failure),
        NewAuditEntry::new("evil, \"quoted\"\nname", "login_failed", Outcome::Failure)
            .details(serde_json::json!({ "reason": "invalid credentials" })),
    ];
    for entry in entries {
        audit::insert(&mut conn, &entry).await.unwrap();
    }
}

#[tokio::test]
async fn audit_filters_and_paging() {
    let app = app(Setup::default()).await;
    let admin = app.create_user("ada", Role::Admin, PASSWORD).await;
    let (_, token) = token_for(&app, &admin, Role::Admin, None).await;
    seed(&app, &admin).await;
    let list = async |query: &str| {
        let (response, body) = get_bearer(&app, &format!("/api/v1/audit{query}"), &token).await;
        assert_eq!(response.status(), StatusCode::OK, "{query}: {body}");
        json(&body)
    };
    let all = list("").await;
    assert_eq!(all["total"], 5);
    assert_eq!(all["entries"][0]["action"], "login_failed", "newest first");
    let prefix = list("?action=token.*").await;
    assert_eq!(prefix["total"], 2);
    assert_eq!(list("?action=token.create").await["total"], 1);
    assert_eq!(list("?actor=ADA&outcome=success").await["total"], 3);
    assert_eq!(list(&format!("?actor_id={}", admin.id)).await["total"], 2);
    assert_eq!(
        list("?target_type=api_token&target_id=t1").await["total"],
        2
    );
    assert_eq!(list("?outcome=failure").await["total"], 2);
    let hour_ago = (Utc::now() - TimeDelta::hours(1)).to_rfc3339();
    let in_an_hour = (Utc::now() + TimeDelta::hours(1)).to_rfc3339();
    let window = format!("?from={}&to={}", enc(&hour_ago), enc(&in_an_hour));
    assert_eq!(list(&window).await["total"], 5);
    assert_eq!(list(&format!("?to={}", enc(&hour_ago))).await["total"], 0);
    let page = list("?limit=2&offset=1").await;
    assert_eq!(page["total"], 5);
    assert_eq!(page["limit"], 2);
    assert_eq!(page["offset"], 1);
    let ids: Vec<i64> = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    let all_ids: Vec<i64> = all["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, all_ids[1..3]);

    for (query, says) in [
        ("?from=yesterday", "`from` must be an RFC 3339 timestamp"),
        (
            "?limit=5000",
            "`limit` must be a whole number from 1 to 1000",
        ),
        (
            "?outcome=ok",
            "`outcome` must be success, failure or denied",
        ),
        ("?who=ada", "unknown query parameter `who`"),
        ("?format=xml", "`format` must be csv or json"),
    ] {
        let (response, body) = get_bearer(&app, &format!("/api/v1/audit{query}"), &token).await;
        assert_eq!(
            response.status(),
            StatusCode::BAD_REQUEST,
            "{query}: {body}"
        );
        let error = json(&body)["error"].as_str().unwrap().to_string();
        assert!(error.starts_with(says), "{query}: {error}");
    }
}

fn enc(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn audit_exports_every_matching_entry_as_csv_or_json() {
    let app = app(Setup::default()).await;
    let admin = app.create_user("ada", Role::Admin, PASSWORD).await;
    let (_, token) = token_for(&app, &admin, Role::Admin, None).await;
    seed(&app, &admin).await;
    let auth = format!("Bearer {token}");
    let (response, csv) = get_with(
        &app,
        "/api/v1/audit?format=csv",
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK, "{csv}");
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let disposition = response.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"berth-audit-"),
        "{disposition}"
    );
    assert!(disposition.ends_with(".csv\""), "{disposition}");
    assert!(csv.starts_with(
        "id,at,actor_user_id,actor_name,action,target_type,target_id,source_ip,outcome,correlation_id,details\r\n"
    ));
    assert!(
        csv.contains(",\"evil, \"\"quoted\"\"\nname\",login_failed,"),
        "{csv}"
    );
    assert!(csv.contains(",'=cmd|' /C calc'!A0,login_failed,"), "{csv}");
    assert!(
        csv.contains(",\"{\"\"reason\"\":\"\"invalid credentials\"\"}\"\r\n"),
        "{csv}"
    );
    // 1 header + 5 entries; the quoted newline is inside a field.
    assert_eq!(csv.matches("\r\n").count(), 6, "{csv}");

    let (response, filtered) = get_with(
        &app,
        "/api/v1/audit?action=token.*",
        &[("authorization", &auth), ("accept", "text/csv")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(filtered.matches("\r\n").count(), 3, "{filtered}");
    assert!(
        filtered.lines().nth(1).unwrap().contains("token.create"),
        "oldest first"
    );

    let (response, body) =
        get_bearer(&app, "/api/v1/audit?format=json&outcome=failure", &token).await;
    assert!(
        response.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .ends_with(".json\"")
    );
    let export = json(&body);
    assert_eq!(export["total"], 2);
    assert_eq!(export["entries"].as_array().unwrap().len(), 2);

    let (response, body) = get_bearer(&app, "/api/v1/audit?format=csv&limit=2", &token).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
}
