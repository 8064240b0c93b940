//! Signing in and out through the real routes: sessions, generic failures, throttling, the gate
//! in front of pages and server functions, and users who are disabled while signed in.

use crate::support::{Setup, TestApp, app};
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use berth_db::audit::{self, AuditFilter};
use berth_db::{Page, users};
use berth_domain::Role;

const PASSWORD: &str = "correct horse battery staple";

async fn login(app: &TestApp, username: &str, password: &str, next: &str) -> Response<Body> {
    let body = format!(
        "username={username}&password={}&next={next}",
        password.replace(' ', "+")
    );
    let request = Request::post("/auth/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    app.send(request).await.0
}

fn location(response: &Response<Body>) -> &str {
    response.headers()[header::LOCATION].to_str().unwrap()
}

/// `name=value` of the Set-Cookie header, for sending back.
fn session_cookie(response: &Response<Body>) -> String {
    let set = response.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    set.split(';').next().unwrap().to_string()
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    let mut conn = app.pool.get().await.unwrap();
    let page = audit::list(&mut conn, &AuditFilter::default(), Page::default())
        .await
        .unwrap();
    page.entries.into_iter().map(|e| e.action).collect()
}

#[tokio::test]
async fn pages_send_strangers_to_sign_in_and_keep_where_they_were_going() {
    let app = app(Setup::default()).await;
    let (response, _) = app.get("/containers?x=1").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/login?next=/containers%3Fx%3D1");
    let (response, html) = app.get("/login").await;
    let html = crate::support::without_markers(&html);
    assert_eq!(response.status(), StatusCode::OK);
    assert!(html.contains("<h1>Sign in</h1>"));
    assert!(
        !html.contains("aria-label=\"Primary\""),
        "no navigation for strangers"
    );
    let (response, _) = app.get("/api/health").await;
    assert_eq!(response.status(), StatusCode::OK, "health stays public");
}

#[tokio::test]
async fn a_right_password_opens_a_session_and_goes_to_next() {
    let app = app(Setup::default()).await;
    app.create_user("alice", Role::Operator, PASSWORD).await;
    let response = login(&app, "Alice", PASSWORD, "/jobs").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/jobs");
    let cookie = session_cookie(&response);

    let (page, html) = app.get_as("/jobs", &cookie).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(html.contains(r#"data-testid="user-menu""#), "{html}");
    assert!(html.contains("operator"));
    assert!(
        !html.contains(r#"href="/admin""#),
        "operators see no admin link"
    );
    assert!(audit_actions(&app).await.contains(&"login".to_string()));

    // An open redirect is not possible through `next`.
    let response = login(&app, "alice", PASSWORD, "https://evil.example").await;
    assert_eq!(location(&response), "/");
}

#[tokio::test]
async fn failures_look_the_same_whether_or_not_the_account_exists() {
    let app = app(Setup::default()).await;
    let user = app.create_user("bob", Role::Viewer, PASSWORD).await;
    let wrong = login(&app, "bob", "not the password at all", "/").await;
    let unknown = login(&app, "nobody", PASSWORD, "/").await;
    let mut conn = app.pool.get().await.unwrap();
    users::set_disabled(&mut conn, user.id, true).await.unwrap();
    let disabled = login(&app, "bob", PASSWORD, "/").await;
    for response in [&wrong, &unknown, &disabled] {
        assert_eq!(location(response), "/login?error=invalid&next=/");
        assert!(response.headers().get(header::SET_COOKIE).is_none());
    }
    let failures = audit_actions(&app)
        .await
        .iter()
        .filter(|a| *a == "login_failed")
        .count();
    assert_eq!(failures, 3);
}

#[tokio::test]
async fn the_sixth_failure_in_a_row_is_throttled_even_with_the_right_password() {
    let app = app(Setup::default()).await;
    app.create_user("carol", Role::Viewer, PASSWORD).await;
    for _ in 0..5 {
        let response = login(&app, "carol", "wrong password again", "/").await;
        assert_eq!(location(&response), "/login?error=invalid&next=/");
    }
    let response = login(&app, "CAROL", PASSWORD, "/").await;
    assert_eq!(location(&response), "/login?error=throttled&next=/");
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = app(Setup::default()).await;
    app.create_user("dave", Role::Viewer, PASSWORD).await;
    let cookie = session_cookie(&login(&app, "dave", PASSWORD, "/").await);
    let request = Request::post("/auth/logout")
        .header(header::COOKIE, &cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::empty())
        .unwrap();
    let (response, _) = app.send(request).await;
    assert_eq!(location(&response), "/login?notice=signed-out");
    assert!(
        response.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    // The old cookie is worthless now, even if a browser kept it.
    let (page, _) = app.get_as("/", &cookie).await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert!(audit_actions(&app).await.contains(&"logout".to_string()));
}

#[tokio::test]
async fn disabling_a_user_ends_their_session_at_once() {
    let app = app(Setup::default()).await;
    let user = app.create_user("erin", Role::Admin, PASSWORD).await;
    let cookie = session_cookie(&login(&app, "erin", PASSWORD, "/").await);
    assert_eq!(app.get_as("/", &cookie).await.0.status(), StatusCode::OK);
    let mut conn = app.pool.get().await.unwrap();
    users::set_disabled(&mut conn, user.id, true).await.unwrap();
    assert_eq!(
        app.get_as("/", &cookie).await.0.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn server_functions_answer_401_without_a_session() {
    let app = app(Setup::default()).await;
    let request = Request::post("/api/fn/readiness")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header("sec-fetch-site", "same-origin")
        .body(Body::empty())
        .unwrap();
    let (response, body) = app.send(request).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{body}");
    assert!(body.contains("Unauthenticated"), "{body}");
}

#[tokio::test]
async fn an_unused_session_ends_after_the_idle_timeout_and_a_used_one_lives_on() {
    let app = app(Setup {
        session_idle: std::time::Duration::from_secs(2),
        ..Setup::default()
    })
    .await;
    app.create_user("ivan", Role::Viewer, PASSWORD).await;
    let busy = session_cookie(&login(&app, "ivan", PASSWORD, "/").await);
    let idle = session_cookie(&login(&app, "ivan", PASSWORD, "/").await);
    // The busy session is used every second; the idle one is left alone.
    for _ in 0..3 {
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
        assert_eq!(app.get_as("/", &busy).await.0.status(), StatusCode::OK);
    }
    let (response, _) = app.get_as("/jobs", &idle).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "idle for 3 s of a 2 s timeout"
    );
    assert_eq!(location(&response), "/login?next=/jobs");
}
