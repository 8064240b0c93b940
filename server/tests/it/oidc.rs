//! OpenID Connect sign-in against a real provider (`oidc-provider`, see oidc_idp.rs): the whole
//! flow through the real routes, and each refusal landing on /login?error=sso without a session.

use crate::oidc_app::{Sso, sso};
use crate::support::{self, ORIGIN};
use axum::extract::connect_info::MockConnectInfo;
use berth_db::audit::{self, AuditFilter};
use berth_domain::Role;
use berth_runtime::config::Source;
use berth_server::oidc::Oidc;
use std::net::SocketAddr;

#[tokio::test]
async fn first_login_creates_the_user_with_the_role_of_its_groups() {
    let sso = sso(&[]).await;
    let (callback, flow) = sso.through_provider("test", "alice").await;
    let done = sso.get(&callback, &flow).await;
    assert_eq!((done.status, done.location.as_str()), (303, "/jobs"));
    let cookie = sso.session_cookie(&done).await.expect("a session cookie");
    assert!(
        done.cookies
            .iter()
            .any(|c| c.starts_with("berth_oidc_flow=; Max-Age=0"))
    );

    let mut headers = axum::http::HeaderMap::new();
    headers.insert("cookie", cookie.parse().unwrap());
    let (principal, user) = sso.app.auth.resolve(&headers).await.expect("signed in");
    assert_eq!(
        (principal.username.as_str(), user.role),
        ("alice", Role::Admin)
    );
    assert_eq!(user.display_name, "Alice Admin");

    let mut conn = sso.app.pool.get().await.unwrap();
    let filter = AuditFilter {
        action: Some("login".into()),
        ..Default::default()
    };
    let login = audit::list(&mut conn, &filter, berth_db::Page::new(1, 0))
        .await
        .unwrap();
    assert_eq!(
        login.entries[0].details,
        serde_json::json!({"method": "oidc", "provider": "test"})
    );
    assert_eq!(login.entries[0].actor_user_id, Some(principal.user_id));

    // The same identity again is the same user; a taken name gets a suffix for someone else.
    let (callback, flow) = sso.through_provider("test", "alice").await;
    assert_eq!(sso.get(&callback, &flow).await.location, "/jobs");
    sso.app
        .create_user("victor", Role::Admin, "a local password 123")
        .await;
    let (callback, flow) = sso.through_provider("test", "victor").await;
    let done = sso.get(&callback, &flow).await;
    let mut headers = axum::http::HeaderMap::new();
    headers.insert(
        "cookie",
        sso.session_cookie(&done).await.unwrap().parse().unwrap(),
    );
    let (principal, user) = sso.app.auth.resolve(&headers).await.unwrap();
    assert_eq!(
        (principal.username.as_str(), user.role),
        ("victor-2", Role::Viewer)
    );
    assert_eq!(berth_db::users::count(&mut conn).await.unwrap(), 3);
}

#[tokio::test]
async fn a_wrong_state_is_refused() {
    let sso = sso(&[]).await;
    let (callback, flow) = sso.through_provider("test", "olivia").await;
    let state = callback
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let tampered = callback.replace(state, "forged-state");
    sso.expect_refused(&sso.get(&tampered, &flow).await, "state mismatch")
        .await;
    // The flow is spent: the genuine callback cannot be used after that.
    sso.expect_refused(&sso.get(&callback, &flow).await, "no pending sign-in")
        .await;
}

#[tokio::test]
async fn a_replayed_callback_is_refused() {
    let sso = sso(&[]).await;
    let (callback, flow) = sso.through_provider("test", "olivia").await;
    assert_eq!(sso.get(&callback, &flow).await.location, "/jobs");
    sso.expect_refused(&sso.get(&callback, &flow).await, "no pending sign-in")
        .await;
    sso.expect_refused(&sso.get(&callback, "").await, "no pending sign-in")
        .await;
    // A fresh flow cannot redeem the old code either: its state differs.
    let (_, other_flow) = sso.through_provider("test", "olivia").await;
    sso.expect_refused(&sso.get(&callback, &other_flow).await, "state mismatch")
        .await;
}

#[tokio::test]
async fn a_code_redeemed_once_is_refused_by_the_provider() {
    use fred::prelude::KeysInterface;
    let sso = sso(&[]).await;
    let (callback, flow) = sso.through_provider("test", "olivia").await;
    // Keep a copy of the pending flow, so that after the first use it can be put back and only
    // the provider stands between the replayed code and a session.
    let key = format!(
        "{}oidc-flow:{}",
        sso.app.auth.sessions.config().prefix,
        flow.split('=').nth(1).unwrap()
    );
    let redis = support::redis(&berth_testkit::redis_url()).await;
    let saved: String = redis.get(&key).await.unwrap();
    assert_eq!(sso.get(&callback, &flow).await.location, "/jobs");
    let _: () = redis.set(&key, saved, None, None, false).await.unwrap();
    let replay = sso.get(&callback, &flow).await;
    sso.expect_refused(
        &replay,
        "the token endpoint refused the code: invalid_grant",
    )
    .await;
}

#[tokio::test]
async fn an_id_token_for_another_audience_is_refused() {
    let sso = sso(&[]).await;
    let (callback, flow) = sso.through_provider("wrongaud", "alice").await;
    sso.expect_refused(&sso.get(&callback, &flow).await, "udience")
        .await;
}

#[tokio::test]
async fn a_flow_started_for_another_provider_is_refused() {
    let sso = sso(&[]).await;
    let (callback, flow) = sso.through_provider("test", "alice").await;
    let other = callback.replace("/auth/oidc/test/", "/auth/oidc/wrongaud/");
    sso.expect_refused(&sso.get(&other, &flow).await, "another provider")
        .await;
}

#[tokio::test]
async fn an_issuer_that_is_not_exactly_the_configured_one_is_refused() {
    let sso = sso(&[]).await;
    let issuer = format!("{}/", sso.idp.issuer);
    let sso = Sso {
        router: {
            let providers = berth_server::oidc::config::providers(
                &Source::from_env_pairs([
                    ("BERTH_OIDC_PROVIDERS", "test".to_string()),
                    ("BERTH_OIDC_TEST_ISSUER", issuer),
                    ("BERTH_OIDC_TEST_CLIENT_ID", "berth".to_string()),
                ]),
                ORIGIN,
            )
            .unwrap();
            let redis = support::redis(&berth_testkit::redis_url()).await;
            berth_server::oidc::routes(Oidc::new(providers, redis, sso.app.auth.clone()).unwrap())
                .layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))))
        },
        ..sso
    };
    let start = sso.get("/auth/oidc/test/start", "").await;
    sso.expect_refused(&start, "provider unavailable").await;
}

#[tokio::test]
async fn no_matching_group_and_no_default_role_or_a_disabled_user_is_refused() {
    let sso = sso(&[("BERTH_OIDC_TEST_DEFAULT_ROLE", "none".into())]).await;
    let (callback, flow) = sso.through_provider("test", "victor").await;
    sso.expect_refused(&sso.get(&callback, &flow).await, "no group grants a role")
        .await;

    let (callback, flow) = sso.through_provider("test", "olivia").await;
    let done = sso.get(&callback, &flow).await;
    assert_eq!(done.location, "/jobs");
    let mut conn = sso.app.pool.get().await.unwrap();
    let olivia = berth_db::users::find_by_username(&mut conn, "olivia")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(olivia.role, Role::Operator);
    berth_db::users::set_disabled(&mut conn, olivia.id, true)
        .await
        .unwrap();
    let (callback, flow) = sso.through_provider("test", "olivia").await;
    sso.expect_refused(&sso.get(&callback, &flow).await, "account disabled")
        .await;
}
