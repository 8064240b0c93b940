//! Admin → Users through its server functions: only admins, audited, validated, and never
//! leaving Berth without an active admin.

use crate::support::{Setup, TestApp, app};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use berth_db::audit::{self, AuditFilter};
use berth_db::{Page, users};
use berth_domain::Role;

const PASSWORD: &str = "correct horse battery staple";

async fn call(app: &TestApp, cookie: &str, endpoint: &str, form: &str) -> (StatusCode, String) {
    let request = Request::post(format!("/api/fn/{endpoint}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(form.to_string()))
        .unwrap();
    let (response, body) = app.send(request).await;
    (response.status(), body)
}

async fn actions(app: &TestApp, prefix: &str) -> Vec<String> {
    let mut conn = app.pool.get().await.unwrap();
    let filter = AuditFilter {
        action: Some(format!("{prefix}.*")),
        ..AuditFilter::default()
    };
    let page = audit::list(&mut conn, &filter, Page::default())
        .await
        .unwrap();
    page.entries.into_iter().map(|e| e.action).collect()
}

#[tokio::test]
async fn only_admins_may_list_or_change_users() {
    let app = app(Setup::default()).await;
    for role in [Role::Viewer, Role::Operator] {
        let cookie = app.sign_in_as(role).await;
        let (status, body) = call(&app, &cookie, "admin/users", "").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role}: {body}");
        assert!(body.contains("You need the admin role"), "{body}");
        let form = format!("username=mallory&display_name=&email=&role=admin&password={PASSWORD}");
        let (status, _) = call(&app, &cookie, "admin/users/create", &form).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let mut conn = app.pool.get().await.unwrap();
    assert!(
        users::find_by_username(&mut conn, "mallory")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn an_admin_adds_a_user_and_bad_input_changes_nothing() {
    let app = app(Setup::default()).await;
    let cookie = app.sign_in_as(Role::Admin).await;
    let form = "username=Frank&display_name=Frank+Ops&email=frank%40example.com&role=operator\
                &password=correct+horse+battery+staple";
    let (status, body) = call(&app, &cookie, "admin/users/create", form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let summary: berth_domain::UserSummary = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (summary.username.as_str(), summary.role),
        ("frank", Role::Operator)
    );
    assert!(
        actions(&app, "user")
            .await
            .contains(&"user.create".to_string())
    );

    let (status, body) = call(&app, &cookie, "admin/users/create", form).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("already exists"), "{body}");
    let weak = "username=gina&display_name=&email=&role=viewer&password=short";
    let (status, body) = call(&app, &cookie, "admin/users/create", weak).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains(r#""field":"password""#), "{body}");
    let mut conn = app.pool.get().await.unwrap();
    assert!(
        users::find_by_username(&mut conn, "gina")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn the_last_admin_can_be_neither_demoted_nor_disabled() {
    let app = app(Setup::default()).await;
    let cookie = app.sign_in_as(Role::Admin).await;
    let mut conn = app.pool.get().await.unwrap();
    let admins = users::list(&mut conn, Page::default()).await.unwrap();
    let me = admins.iter().find(|u| u.role == Role::Admin).unwrap().id;

    let (status, body) = call(
        &app,
        &cookie,
        "admin/users/role",
        &format!("user_id={me}&role=viewer"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("at least one active admin"), "{body}");
    let (status, body) = call(
        &app,
        &cookie,
        "admin/users/disabled",
        &format!("user_id={me}&disabled=true"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("your own account"), "{body}");

    // With a second admin, demotion is allowed (and audited).
    let other = app.create_user("helen", Role::Admin, PASSWORD).await;
    let (status, body) = call(
        &app,
        &cookie,
        "admin/users/role",
        &format!("user_id={}&role=operator", other.id),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        actions(&app, "user")
            .await
            .contains(&"user.role".to_string())
    );
    let (status, _) = call(
        &app,
        &cookie,
        "admin/users/role",
        "user_id=not-a-uuid&role=viewer",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_disabled_user_is_signed_out_at_their_next_request() {
    let app = app(Setup::default()).await;
    let admin = app.sign_in_as(Role::Admin).await;
    let victim_cookie = app.sign_in_as(Role::Operator).await;
    let mut conn = app.pool.get().await.unwrap();
    let all = users::list(&mut conn, Page::default()).await.unwrap();
    let victim = all.iter().find(|u| u.role == Role::Operator).unwrap().id;
    assert_eq!(
        app.get_as("/", &victim_cookie).await.0.status(),
        StatusCode::OK
    );

    let (status, body) = call(
        &app,
        &admin,
        "admin/users/disabled",
        &format!("user_id={victim}&disabled=true"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        app.get_as("/", &victim_cookie).await.0.status(),
        StatusCode::SEE_OTHER
    );
    assert!(
        actions(&app, "user")
            .await
            .contains(&"user.disable".to_string())
    );
}
