//! Throttling of failed API-token attempts per client address: 429 with `Retry-After` and a JSON
//! error once an address has used up its failures (a valid token included), other addresses and
//! requests without credentials unaffected, one audit entry per address and window.

use crate::api_v1::{get_bearer, json, token_for};
use crate::support::{Setup, TestApp, app};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response, StatusCode, header};
use berth_auth::api_token::generate;
use berth_db::Page;
use berth_db::audit::{self, AuditEntry, AuditFilter};
use berth_domain::Role;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

const PASSWORD: &str = "correct horse battery staple";

/// The address every request of the test app comes from, unless a test says otherwise.
const TEST_APP_IP: [u8; 4] = [127, 0, 0, 1];

/// A bearer request from `ip` (a `ConnectInfo` in the request wins over the app's mock one).
async fn get_bearer_from(app: &TestApp, ip: [u8; 4], token: &str) -> (Response<Body>, String) {
    let mut request = Request::get("/api/v1/me")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((ip, 50000))));
    app.send(request).await
}

fn unknown_token() -> String {
    generate().unwrap().0.expose().to_string()
}

/// The status, and the whole seconds of `Retry-After` when there is one.
fn status_and_wait(response: &Response<Body>) -> (StatusCode, Option<u64>) {
    let wait = response
        .headers()
        .get(header::RETRY_AFTER)
        .map(|v| v.to_str().unwrap().parse().unwrap());
    (response.status(), wait)
}

async fn audited(app: &TestApp, action: &str) -> Vec<AuditEntry> {
    let filter = AuditFilter {
        action: Some(action.to_string()),
        ..AuditFilter::default()
    };
    let mut conn = app.pool.get().await.unwrap();
    audit::list(&mut conn, &filter, Page::default())
        .await
        .unwrap()
        .entries
}

#[tokio::test]
async fn thirty_bad_tokens_from_one_address_lock_it_out_even_with_a_valid_token() {
    let app = app(Setup::default()).await;
    let owner = app.create_user("tess", Role::Operator, PASSWORD).await;
    let (_, good) = token_for(&app, &owner, Role::Viewer, None).await;
    let bad = [unknown_token(), "berth_pat_nothex".to_string()];
    for attempt in 1..=30 {
        let (response, body) = get_bearer(&app, "/api/v1/me", &bad[attempt % 2]).await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{attempt}: {body}"
        );
        if attempt == 15 {
            // Success in between neither counts nor resets the count.
            let (response, body) = get_bearer(&app, "/api/v1/me", &good).await;
            assert_eq!(response.status(), StatusCode::OK, "{body}");
        }
    }

    for (what, token) in [("valid", good.as_str()), ("bad", bad[0].as_str())] {
        let (response, body) = get_bearer(&app, "/api/v1/me", token).await;
        let (status, wait) = status_and_wait(&response);
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{what}: {body}");
        let wait = wait.expect("Retry-After");
        assert!((890..=900).contains(&wait), "{what}: Retry-After {wait}");
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "application/json",
            "{what}"
        );
        let error = json(&body)["error"].as_str().unwrap().to_string();
        assert_eq!(
            error,
            "Too many failed API token attempts from this address. Try again in 15 minutes."
        );
    }

    // Another address is not affected, nor is a request that presents no credentials.
    let (response, body) = get_bearer_from(&app, [198, 51, 100, 7], &good).await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
    let (response, _) = app.get("/api/v1/me").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    // One audit entry for the address, none per failure.
    let entries = audited(&app, "token.throttled").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].source_ip, Some(IpAddr::from(TEST_APP_IP)));
    assert_eq!(entries[0].details["failures"], 30);
    assert_eq!(entries[0].details["window_secs"], 900);
    let mut conn = app.pool.get().await.unwrap();
    let total = audit::list(&mut conn, &AuditFilter::default(), Page::default())
        .await
        .unwrap()
        .total;
    assert_eq!(total, 1, "nothing else was audited");
}

#[tokio::test]
async fn the_address_may_try_again_when_the_window_ends() {
    let app = app(Setup {
        token_failures: Some((2, Duration::from_secs(2))),
        ..Setup::default()
    })
    .await;
    let owner = app.create_user("wim", Role::Viewer, PASSWORD).await;
    let (_, good) = token_for(&app, &owner, Role::Viewer, None).await;
    for _ in 0..2 {
        let (response, _) = get_bearer(&app, "/api/v1/me", &unknown_token()).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let (response, _) = get_bearer(&app, "/api/v1/me", &good).await;
    assert_eq!(
        status_and_wait(&response),
        (StatusCode::TOO_MANY_REQUESTS, Some(2))
    );
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let (response, body) = get_bearer(&app, "/api/v1/me", &good).await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
}

#[tokio::test]
async fn requests_without_a_bearer_token_are_not_counted() {
    let app = app(Setup {
        token_failures: Some((2, Duration::from_secs(60))),
        ..Setup::default()
    })
    .await;
    let owner = app.create_user("nell", Role::Viewer, PASSWORD).await;
    let (_, good) = token_for(&app, &owner, Role::Viewer, None).await;
    let basic = Request::get("/api/v1/me")
        .header(header::AUTHORIZATION, "Basic dXNlcjpwYXNz")
        .body(Body::empty());
    let (response, _) = app.send(basic.unwrap()).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    for _ in 0..3 {
        let (response, _) = app.get("/api/v1/me").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let cookie = app.sign_in_as(Role::Admin).await;
    let (response, _) = app.get_as("/api/v1/me", &cookie).await;
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "a session is no token"
    );
    let (response, body) = get_bearer(&app, "/api/v1/me", &good).await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
    assert_eq!(status_and_wait(&response).1, None);
}
