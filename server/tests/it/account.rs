//! The Account page's server functions: the caller's own API tokens and sessions, audited, with
//! bad input (or someone else's token or session) changing nothing.

use crate::support::{Setup, TestApp, app};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use berth_auth::session::{SessionId, SessionMeta};
use berth_db::audit::{self, AuditEntry, AuditFilter};
use berth_db::users::User;
use berth_db::{Page, api_tokens};
use berth_domain::Role;
use serde_json::Value;

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

/// A new session of `user`: its id and the `Cookie` header that carries it.
async fn session_of(app: &TestApp, user: &User, agent: &str) -> (SessionId, String) {
    let meta = SessionMeta {
        ip: Some([192, 0, 2, 7].into()),
        user_agent: Some(agent.to_string()),
    };
    let (id, _) = app.auth.sessions.create(user.id, meta).await.unwrap();
    let cookie = format!("{}={}", app.auth.cookie.name(), id.expose());
    (id, cookie)
}

async fn entries(app: &TestApp, action: &str) -> Vec<AuditEntry> {
    let mut conn = app.pool.get().await.unwrap();
    let filter = AuditFilter {
        action: Some(action.to_string()),
        ..AuditFilter::default()
    };
    audit::list(&mut conn, &filter, Page::default())
        .await
        .unwrap()
        .entries
}

async fn me_status(app: &TestApp, token: &str) -> StatusCode {
    let request = Request::get("/api/v1/me")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    app.send(request).await.0.status()
}

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn a_token_is_created_shown_once_used_and_revoked_with_audit_entries() {
    let app = app(Setup::default()).await;
    let user = app.create_user("tess", Role::Operator, PASSWORD).await;
    let (_, cookie) = session_of(&app, &user, "test").await;
    let form = "name=ci+deploy&expires_in_days=30&role=viewer";
    let (status, body) = call(&app, &cookie, "account/tokens/create", form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let created = json(&body);
    let value = created["value"].as_str().unwrap().to_string();
    assert!(value.starts_with("berth_pat_"), "{value}");
    assert_eq!(created["token"]["name"], "ci deploy");
    assert_eq!(created["token"]["role"], "viewer");
    assert_eq!(created["token"]["status"], "Active");
    assert!(created["token"]["expires_at"].is_string());
    let id = created["token"]["id"].as_str().unwrap().to_string();
    assert_eq!(me_status(&app, &value).await, StatusCode::OK);

    let made = entries(&app, "token.create").await;
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].actor_user_id, Some(user.id));
    assert_eq!(made[0].target_id.as_deref(), Some(id.as_str()));
    assert!(
        !made[0].details.to_string().contains(&value[10..]),
        "no secret in the audit trail"
    );

    // The list never carries the value again.
    let (status, body) = call(&app, &cookie, "account/tokens", "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(!body.contains(&value[..30]), "{body}");
    let list = json(&body);
    assert_eq!(list["owner_role"], "operator");
    assert_eq!(list["tokens"][0]["id"], id);

    let (status, body) = call(&app, &cookie, "account/tokens/revoke", &format!("id={id}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(json(&body)["status"], "Revoked");
    assert_eq!(me_status(&app, &value).await, StatusCode::UNAUTHORIZED);
    assert_eq!(entries(&app, "token.revoke").await.len(), 1);
    let (status, body) = call(&app, &cookie, "account/tokens/revoke", &format!("id={id}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("no active token"), "{body}");
    assert_eq!(entries(&app, "token.revoke").await.len(), 1);
}

#[tokio::test]
async fn bad_token_requests_change_nothing() {
    let app = app(Setup::default()).await;
    let user = app.create_user("otto", Role::Operator, PASSWORD).await;
    let (_, cookie) = session_of(&app, &user, "test").await;
    for (form, says) in [
        (
            "name=x&expires_in_days=&role=admin",
            "A token's role cannot be higher than your own role (operator)",
        ),
        ("name=x&expires_in_days=&role=root", "unknown role"),
        ("name=+&expires_in_days=&role=", "Give the token a name"),
        (
            "name=x&expires_in_days=0&role=",
            "whole number from 1 to 3650",
        ),
        (
            "name=x&expires_in_days=soon&role=",
            "whole number from 1 to 3650",
        ),
    ] {
        let (status, body) = call(&app, &cookie, "account/tokens/create", form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{form}: {body}");
        assert!(body.contains(says), "{form}: {body}");
    }
    let mut conn = app.pool.get().await.unwrap();
    assert!(
        api_tokens::list_for_user(&mut conn, user.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(entries(&app, "token.create").await.is_empty());

    // Empty expiry and role: no expiry, the owner's role. The same name again is refused.
    let form = "name=nightly&expires_in_days=&role=";
    let (status, body) = call(&app, &cookie, "account/tokens/create", form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = json(&body)["token"].clone();
    assert_eq!(
        (token["role"].as_str(), token["expires_at"].is_null()),
        (Some("operator"), true)
    );
    let (status, body) = call(&app, &cookie, "account/tokens/create", form).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("already have an active token named"),
        "{body}"
    );

    // Someone else cannot revoke it.
    let other = app.create_user("mallory", Role::Admin, PASSWORD).await;
    let (_, other_cookie) = session_of(&app, &other, "test").await;
    let revoke = format!("id={}", token["id"].as_str().unwrap());
    let (status, _) = call(&app, &other_cookie, "account/tokens/revoke", &revoke).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = call(
        &app,
        &other_cookie,
        "account/tokens/revoke",
        "id=not-a-uuid",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let tokens = api_tokens::list_for_user(&mut conn, user.id).await.unwrap();
    assert!(tokens[0].revoked_at.is_none());
    assert!(entries(&app, "token.revoke").await.is_empty());
}

#[tokio::test]
async fn sessions_are_listed_by_handle_and_only_ones_own_can_be_ended() {
    let app = app(Setup::default()).await;
    let user = app.create_user("sam", Role::Viewer, PASSWORD).await;
    let other = app.create_user("oscar", Role::Viewer, PASSWORD).await;
    let (mine, cookie) = session_of(&app, &user, "Firefox").await;
    let (laptop, _) = session_of(&app, &user, "Laptop").await;
    let (theirs, _) = session_of(&app, &other, "Theirs").await;

    let (status, body) = call(&app, &cookie, "account/sessions", "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for id in [&mine, &laptop, &theirs] {
        assert!(!body.contains(id.expose()), "no session id is sent: {body}");
    }
    let list = json(&body);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let current: Vec<_> = list.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["user_agent"], "Firefox");
    assert_eq!(current[0]["ip"], "192.0.2.7");
    assert_eq!(current[0]["handle"], app::account::session_handle(&mine));

    // Another user's session, and the current one, cannot be ended here.
    let theirs_handle = format!("handle={}", app::account::session_handle(&theirs));
    let (status, body) = call(&app, &cookie, "account/sessions/revoke", &theirs_handle).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(app.auth.sessions.get(&theirs).await.unwrap().is_some());
    let mine_handle = format!("handle={}", app::account::session_handle(&mine));
    let (status, body) = call(&app, &cookie, "account/sessions/revoke", &mine_handle).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("Sign out"), "{body}");
    assert!(entries(&app, "session.revoke").await.is_empty());

    let laptop_handle = format!("handle={}", app::account::session_handle(&laptop));
    let (status, body) = call(&app, &cookie, "account/sessions/revoke", &laptop_handle).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(app.auth.sessions.get(&laptop).await.unwrap().is_none());
    let ended = entries(&app, "session.revoke").await;
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].actor_user_id, Some(user.id));

    // Sign out everywhere else: the two new sessions end, this one and the other user's stay.
    let (a, _) = session_of(&app, &user, "A").await;
    let (b, _) = session_of(&app, &user, "B").await;
    let (status, body) = call(&app, &cookie, "account/sessions/revoke-others", "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body.trim(), "2");
    assert!(app.auth.sessions.get(&a).await.unwrap().is_none());
    assert!(app.auth.sessions.get(&b).await.unwrap().is_none());
    assert!(app.auth.sessions.get(&mine).await.unwrap().is_some());
    assert!(app.auth.sessions.get(&theirs).await.unwrap().is_some());
    assert_eq!(entries(&app, "session.revoke").await.len(), 2);
}

#[tokio::test]
async fn account_server_functions_need_a_session() {
    let app = app(Setup::default()).await;
    for endpoint in [
        "account/tokens",
        "account/sessions",
        "account/tokens/create",
    ] {
        let (status, _) = call(
            &app,
            "theme=dark",
            endpoint,
            "name=x&expires_in_days=&role=",
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{endpoint}");
    }
}
