//! The REST API under /api/v1: personal API tokens only (never a session cookie), JSON errors and
//! the role cap. The audit routes: `api_v1_audit`.

use crate::support::{Setup, TestApp, app};
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use berth_auth::api_token::generate;
use berth_db::api_tokens::{self, NewApiToken};
use berth_db::users::{self, User};
use berth_domain::Role;
use chrono::{TimeDelta, Utc};
use serde_json::Value;

const PASSWORD: &str = "correct horse battery staple";

/// A token for `user` with `role`, expiring at `expires_in` from now (`None`: never).
pub async fn token_for(
    app: &TestApp,
    user: &User,
    role: Role,
    expires_in: Option<TimeDelta>,
) -> (uuid::Uuid, String) {
    let (plain, stored) = generate().unwrap();
    let mut conn = app.pool.get().await.unwrap();
    let name = format!("t-{}", &stored.lookup[..6]);
    let token = api_tokens::insert(
        &mut conn,
        &NewApiToken {
            user_id: user.id,
            name: &name,
            lookup: &stored.lookup,
            secret_hash: &stored.hash,
            role,
            expires_at: expires_in.map(|d| Utc::now() + d),
        },
    )
    .await
    .unwrap();
    (token.id, plain.expose().to_string())
}

pub async fn get_with(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
) -> (Response<Body>, String) {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

pub async fn get_bearer(app: &TestApp, path: &str, token: &str) -> (Response<Body>, String) {
    get_with(app, path, &[("authorization", &format!("Bearer {token}"))]).await
}

pub fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn assert_unauthorized(response: &Response<Body>, body: &str, what: &str) {
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "{what}: {body}"
    );
    let challenge = response.headers()[header::WWW_AUTHENTICATE]
        .to_str()
        .unwrap();
    assert!(challenge.starts_with("Bearer"), "{what}: {challenge}");
    assert!(json(body)["error"].as_str().is_some(), "{what}: {body}");
}

#[tokio::test]
async fn a_token_shows_who_it_acts_for_and_records_its_use() {
    let app = app(Setup::default()).await;
    let owner = app.create_user("olga", Role::Operator, PASSWORD).await;
    let (id, token) = token_for(&app, &owner, Role::Viewer, Some(TimeDelta::days(1))).await;
    let (response, body) = get_bearer(&app, "/api/v1/me", &token).await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
    let me = json(&body);
    assert_eq!(me["username"], "olga");
    assert_eq!(me["role"], "viewer", "the token's role, not the owner's");
    assert_eq!(me["via"], "api_token");
    assert_eq!(me["token"]["id"], id.to_string());
    assert!(me["token"]["name"].as_str().unwrap().starts_with("t-"));
    let mut conn = app.pool.get().await.unwrap();
    let listed = api_tokens::list_for_user(&mut conn, owner.id)
        .await
        .unwrap();
    assert!(listed[0].last_used_at.is_some(), "last use recorded");

    // An admin token of a user demoted to viewer acts as a viewer.
    let (_, admin_token) = token_for(&app, &owner, Role::Operator, None).await;
    users::update_role(&mut conn, owner.id, Role::Viewer)
        .await
        .unwrap();
    let (_, body) = get_bearer(&app, "/api/v1/me", &admin_token).await;
    assert_eq!(json(&body)["role"], "viewer");
}

#[tokio::test]
async fn unusable_tokens_get_401_with_a_bearer_challenge() {
    let app = app(Setup::default()).await;
    let owner = app.create_user("uma", Role::Admin, PASSWORD).await;
    let (_, expired) = token_for(&app, &owner, Role::Admin, Some(TimeDelta::seconds(-1))).await;
    let (revoked_id, revoked) = token_for(&app, &owner, Role::Admin, None).await;
    let (_, good) = token_for(&app, &owner, Role::Admin, None).await;
    let mut conn = app.pool.get().await.unwrap();
    assert!(
        api_tokens::revoke(&mut conn, revoked_id, None)
            .await
            .unwrap()
    );
    let last = if good.ends_with('0') { "1" } else { "0" };
    let wrong_secret = format!("{}{last}", &good[..good.len() - 1]);
    let unknown = generate().unwrap().0.expose().to_string();
    for (what, token) in [
        ("expired", expired.as_str()),
        ("revoked", revoked.as_str()),
        ("wrong secret", wrong_secret.as_str()),
        ("unknown", unknown.as_str()),
        ("malformed", "berth_pat_nothex"),
    ] {
        let (response, body) = get_bearer(&app, "/api/v1/me", token).await;
        assert_unauthorized(&response, &body, what);
        assert!(
            body.contains("invalid, expired or revoked"),
            "{what}: {body}"
        );
        assert!(!body.contains(token), "the token is not echoed");
    }
    let (response, body) = get_with(&app, "/api/v1/me", &[]).await;
    assert_unauthorized(&response, &body, "no header");
    let (response, body) = get_with(
        &app,
        "/api/v1/me",
        &[("authorization", "Basic dXNlcjpwYXNz")],
    )
    .await;
    assert_unauthorized(&response, &body, "basic auth");

    // The good token works until its owner is disabled.
    assert_eq!(
        get_bearer(&app, "/api/v1/me", &good).await.0.status(),
        StatusCode::OK
    );
    users::set_disabled(&mut conn, owner.id, true)
        .await
        .unwrap();
    let (response, body) = get_bearer(&app, "/api/v1/me", &good).await;
    assert_unauthorized(&response, &body, "disabled owner");
}

#[tokio::test]
async fn sessions_do_not_work_on_the_api_and_tokens_do_not_work_elsewhere() {
    let app = app(Setup::default()).await;
    let cookie = app.sign_in_as(Role::Admin).await;
    for path in ["/api/v1/me", "/api/v1/audit"] {
        let (response, body) = app.get_as(path, &cookie).await;
        assert_unauthorized(&response, &body, path);
        assert!(body.contains("browser sessions are not accepted"), "{body}");
    }
    let admin = app.create_user("adam", Role::Admin, PASSWORD).await;
    let (_, token) = token_for(&app, &admin, Role::Admin, None).await;
    // A page with only a token: still sent to sign in.
    let (response, _) = get_bearer(&app, "/containers", &token).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        response.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
    // A server function with only a token: 401 as if nobody asked.
    let request = Request::post("/api/fn/readiness")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let (response, body) = app.send(request).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{body}");
    // Unknown API routes answer JSON 404 (to token holders only).
    let (response, body) = get_bearer(&app, "/api/v1/nope", &token).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "{body}");
    assert_eq!(json(&body)["error"], "No such API route.");
    let (response, _) = get_with(&app, "/api/v1/nope", &[]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
