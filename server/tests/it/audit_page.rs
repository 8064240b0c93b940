//! The Audit page's server function: admins only, filters validated, entries newest first.

use crate::support::{Setup, TestApp, app};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use berth_domain::{AuditPage, Role};

async fn list(app: &TestApp, cookie: &str, form: &str) -> (StatusCode, String) {
    let request = Request::post("/api/fn/audit")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(form.to_string()))
        .unwrap();
    let (response, body) = app.send(request).await;
    (response.status(), body)
}

#[tokio::test]
async fn admins_read_the_trail_with_filters_and_others_are_refused() {
    let app = app(Setup::default()).await;
    let viewer = app.sign_in_as(Role::Viewer).await;
    let (status, _) = list(&app, &viewer, "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let admin = app.sign_in_as(Role::Admin).await;
    // A failed sign-in gives the trail something to show.
    let request = Request::post("/auth/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from("username=ghost&password=nope&next=/"))
        .unwrap();
    app.send(request).await;

    let (status, body) = list(&app, &admin, "query[action]=login_failed").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let page: AuditPage = serde_json::from_str(&body).unwrap();
    assert_eq!(page.total, 1, "{body}");
    assert_eq!(page.rows[0].actor, "ghost");
    assert_eq!(page.rows[0].outcome, "failure");
    assert_eq!(page.rows[0].source_ip.as_deref(), Some("127.0.0.1"));

    let (status, body) = list(&app, &admin, "query[action]=user.*").await;
    assert_eq!(status, StatusCode::OK);
    let page: AuditPage = serde_json::from_str(&body).unwrap();
    assert_eq!(page.total, 0, "sign_in_as writes no user.* entries: {body}");

    let (status, body) = list(&app, &admin, "query[from]=yesterday").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains(r#""field":"from""#), "{body}");
    let (status, body) = list(&app, &admin, "query[outcome]=maybe").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains(r#""field":"outcome""#), "{body}");
}

#[tokio::test]
async fn the_page_download_serves_csv_to_admins_signed_in_by_session() {
    let app = app(Setup::default()).await;
    let admin = app.sign_in_as(Role::Admin).await;
    let request = Request::post("/auth/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from("username=%3Dcmd%7C&password=nope&next=/"))
        .unwrap();
    app.send(request).await;

    let (response, csv) = app
        .get_as(
            "/audit/export?action=login_failed&from=2020-01-01T00:00:00Z",
            &admin,
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
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "a header and one entry: {csv}");
    assert!(
        lines[1].contains("'=cmd|"),
        "a formula-looking name is defused: {csv}"
    );

    let (response, json) = app.get_as("/audit/export?format=json", &admin).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(json.contains("\"entries\""), "{json}");

    let viewer = app.sign_in_as(Role::Viewer).await;
    let (response, _) = app.get_as("/audit/export", &viewer).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let (response, _) = app.get("/audit/export").await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "strangers are sent to sign in"
    );
    let (response, body) = app.get_as("/audit/export?from=yesterday", &admin).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
}
