//! Changing one's own password on the Account page: the current password must verify and the new
//! one pass the policy; success swaps the hash, audits it and ends the other sessions only, and
//! any refusal changes nothing.

use crate::support::{TestApp, app};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use berth_auth::session::SessionMeta;
use berth_db::audit::{self, AuditEntry, AuditFilter};
use berth_db::users::User;
use berth_db::{Page, users};
use berth_domain::Role;

const OLD: &str = "correct horse battery staple";
const NEW: &str = "a brand new passphrase";

fn form_value(text: &str) -> String {
    text.replace(' ', "+")
}

async fn call(app: &TestApp, cookie: &str, form: &str) -> (StatusCode, String) {
    let request = Request::post("/api/fn/account/password")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(form.to_string()))
        .unwrap();
    let (response, body) = app.send(request).await;
    (response.status(), body)
}

fn change(current: &str, new: &str, repeat: &str) -> String {
    format!(
        "current_password={}&new_password={}&repeat_password={}",
        form_value(current),
        form_value(new),
        form_value(repeat)
    )
}

/// Where `/auth/login` sends the browser: `/` on success, back to `/login` on failure.
async fn login(app: &TestApp, username: &str, password: &str) -> String {
    let body = format!(
        "username={username}&password={}&next=/",
        form_value(password)
    );
    let request = Request::post("/auth/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    let (response, _) = app.send(request).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string()
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

/// Whether a cookie still opens a page (rather than being sent to sign in).
async fn signed_in(app: &TestApp, cookie: &str) -> bool {
    let (response, _) = app.get_as("/account", cookie).await;
    match response.status() {
        StatusCode::OK => true,
        StatusCode::SEE_OTHER => {
            let location = response.headers()[header::LOCATION].to_str().unwrap();
            assert!(location.starts_with("/login"), "{location}");
            false
        }
        other => panic!("unexpected {other}"),
    }
}

async fn entries(app: &TestApp) -> Vec<AuditEntry> {
    let mut conn = app.pool.get().await.unwrap();
    let filter = AuditFilter {
        action: Some("user.password_change".to_string()),
        ..AuditFilter::default()
    };
    audit::list(&mut conn, &filter, Page::default())
        .await
        .unwrap()
        .entries
}

async fn stored_hash(app: &TestApp, user: &User) -> Option<String> {
    let mut conn = app.pool.get().await.unwrap();
    users::find_by_id(&mut conn, user.id)
        .await
        .unwrap()
        .unwrap()
        .password_hash
}

#[tokio::test]
async fn a_password_change_swaps_the_password_and_ends_only_the_other_sessions() {
    let app = app(Default::default()).await;
    let user = app.create_user("pat", Role::Viewer, OLD).await;
    let current = session_cookie(&app, &user).await;
    let other = session_cookie(&app, &user).await;

    let (status, body) = call(&app, &current, &change(OLD, NEW, NEW)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body.trim(), "1", "one other session ended");

    assert!(signed_in(&app, &current).await, "the current session stays");
    assert!(!signed_in(&app, &other).await, "the other session ended");
    assert_eq!(login(&app, "pat", OLD).await, "/login?error=invalid&next=/");
    assert_eq!(login(&app, "pat", NEW).await, "/");

    let entries = entries(&app).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].actor_user_id, Some(user.id));
    assert_eq!(
        entries[0].target_id.as_deref(),
        Some(user.id.to_string().as_str())
    );
    assert_eq!(entries[0].details["other_sessions_ended"], 1);
    assert!(!entries[0].details.to_string().contains("passphrase"));
}

#[tokio::test]
async fn refused_changes_name_the_field_and_change_nothing() {
    let app = app(Default::default()).await;
    let user = app.create_user("quinn", Role::Operator, OLD).await;
    let current = session_cookie(&app, &user).await;
    let other = session_cookie(&app, &user).await;
    let before = stored_hash(&app, &user).await;

    let cases = [
        (change("not my password", NEW, NEW), "current_password"),
        (change(OLD, "short", "short"), "new_password"),
        (change(OLD, "quinn", "quinn"), "new_password"),
        (
            change(OLD, NEW, "a brand new passphrasE"),
            "repeat_password",
        ),
    ];
    for (form, field) in cases {
        let (status, body) = call(&app, &current, &form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{form}: {body}");
        assert!(
            body.contains(&format!(r#""field":"{field}""#)),
            "{form}: {body}"
        );
    }

    assert_eq!(stored_hash(&app, &user).await, before);
    assert!(signed_in(&app, &current).await);
    assert!(signed_in(&app, &other).await, "no session ended");
    assert!(entries(&app).await.is_empty());
    assert_eq!(login(&app, "quinn", OLD).await, "/");
}

#[tokio::test]
async fn an_account_without_a_password_is_told_so() {
    let app = app(Default::default()).await;
    let user = app.create_user("sso-sam", Role::Viewer, OLD).await;
    let mut conn = app.pool.get().await.unwrap();
    users::set_password_hash(&mut conn, user.id, None)
        .await
        .unwrap();
    let cookie = session_cookie(&app, &user).await;
    let (status, body) = call(&app, &cookie, &change(OLD, NEW, NEW)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains(r#""field":"current_password""#), "{body}");
    assert!(body.contains("single sign-on"), "{body}");
    assert_eq!(stored_hash(&app, &user).await, None);
}
