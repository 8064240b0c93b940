//! Admin → Users → "End sessions": an admin signs a user out everywhere, audited with the count;
//! nobody else may, and an unknown user is refused.

use crate::support::{TestApp, app};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use berth_auth::session::SessionMeta;
use berth_db::Page;
use berth_db::audit::{self, AuditEntry, AuditFilter};
use berth_db::users::User;
use berth_domain::Role;

const PASSWORD: &str = "correct horse battery staple";

async fn end_sessions(app: &TestApp, cookie: &str, user_id: &str) -> (StatusCode, String) {
    let request = Request::post("/api/fn/admin/users/end-sessions")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(format!("user_id={user_id}")))
        .unwrap();
    let (response, body) = app.send(request).await;
    (response.status(), body)
}

async fn session_cookie(app: &TestApp, user: &User) -> String {
    let (id, _) = app
        .auth
        .sessions
        .create(user.id, SessionMeta::default())
        .await
        .unwrap();
    format!("{}={}", app.auth.cookie.name(), id.expose())
}

/// The status and `Location` of a page request with this cookie.
async fn page(app: &TestApp, cookie: &str) -> (StatusCode, Option<String>) {
    let (response, _) = app.get_as("/", cookie).await;
    let location = response
        .headers()
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap().to_string());
    (response.status(), location)
}

async fn entries(app: &TestApp) -> Vec<AuditEntry> {
    let mut conn = app.pool.get().await.unwrap();
    let filter = AuditFilter {
        action: Some("session.revoke_all".to_string()),
        ..AuditFilter::default()
    };
    audit::list(&mut conn, &filter, Page::default())
        .await
        .unwrap()
        .entries
}

#[tokio::test]
async fn an_admin_ends_every_session_of_a_user() {
    let app = app(Default::default()).await;
    let admin = app.sign_in_as(Role::Admin).await;
    let victim = app.create_user("vic", Role::Operator, PASSWORD).await;
    let first = session_cookie(&app, &victim).await;
    let second = session_cookie(&app, &victim).await;
    assert_eq!(page(&app, &first).await.0, StatusCode::OK);

    let (status, body) = end_sessions(&app, &admin, &victim.id.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let ended: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(ended["username"], "vic");
    assert_eq!(ended["count"], 2);

    for cookie in [&first, &second] {
        let (status, location) = page(&app, cookie).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(
            location.as_deref().is_some_and(|l| l.starts_with("/login")),
            "{location:?}"
        );
    }
    assert_eq!(
        page(&app, &admin).await.0,
        StatusCode::OK,
        "the admin stays"
    );

    let entries = entries(&app).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].target_type.as_deref(), Some("user"));
    assert_eq!(
        entries[0].target_id.as_deref(),
        Some(victim.id.to_string().as_str())
    );
    assert_eq!(entries[0].details["count"], 2);
}

#[tokio::test]
async fn others_are_refused_and_unknown_users_are_a_bad_request() {
    let app = app(Default::default()).await;
    let victim = app.create_user("vera", Role::Admin, PASSWORD).await;
    let session = session_cookie(&app, &victim).await;
    for role in [Role::Viewer, Role::Operator] {
        let cookie = app.sign_in_as(role).await;
        let (status, body) = end_sessions(&app, &cookie, &victim.id.to_string()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role}: {body}");
    }
    assert_eq!(
        page(&app, &session).await.0,
        StatusCode::OK,
        "still signed in"
    );

    let admin = app.sign_in_as(Role::Admin).await;
    for id in [uuid::Uuid::nil().to_string(), "not-a-uuid".to_string()] {
        let (status, body) = end_sessions(&app, &admin, &id).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{id}: {body}");
        assert!(body.contains(r#""field":"user_id""#), "{body}");
    }
    assert!(entries(&app).await.is_empty());
}
