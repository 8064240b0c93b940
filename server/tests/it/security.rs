//! Cross-site requests refused; security headers and the page's CSP present.

use crate::support::{ORIGIN, Setup, app};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

fn readiness_post(headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::post("/api/fn/readiness")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn a_cross_site_post_is_refused_before_any_server_function_runs() {
    let app = app(Setup::default()).await;
    for headers in [
        vec![
            ("origin", "https://evil.example"),
            ("cookie", "berth_session=x"),
        ],
        vec![("sec-fetch-site", "cross-site")],
        vec![("cookie", "berth_session=x")],
    ] {
        let (response, body) = app.send(readiness_post(&headers)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{headers:?}");
        assert!(body.starts_with("Cross-site request refused"), "{body}");
    }
}

#[tokio::test]
async fn a_same_origin_post_is_served() {
    let app = app(Setup::default()).await;
    let cookie = app.sign_in_as(berth_domain::Role::Viewer).await;
    for headers in [
        vec![("origin", ORIGIN), ("cookie", cookie.as_str())],
        vec![
            ("sec-fetch-site", "same-origin"),
            ("cookie", cookie.as_str()),
        ],
    ] {
        let (response, body) = app.send(readiness_post(&headers)).await;
        assert_eq!(response.status(), StatusCode::OK, "{headers:?}: {body}");
    }
}

#[tokio::test]
async fn a_cross_site_websocket_upgrade_is_refused() {
    let app = app(Setup::default()).await;
    let request = Request::get("/")
        .header(header::UPGRADE, "websocket")
        .header(header::CONNECTION, "upgrade")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::empty())
        .unwrap();
    let (response, body) = app.send(request).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "{body}");
}

#[tokio::test]
async fn pages_carry_a_nonce_csp_and_the_hydration_script_uses_it() {
    let app = app(Setup::default()).await;
    let cookie = app.sign_in_as(berth_domain::Role::Viewer).await;
    let (response, html) = app.get_as("/", &cookie).await;
    let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the CSP");
    assert!(nonce.len() >= 16, "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(
        html.contains(&format!(r#"nonce="{nonce}""#)),
        "scripts carry the nonce"
    );
    // A second response gets a different nonce.
    let (second, _) = app.get_as("/", &cookie).await;
    assert_ne!(
        second.headers()[header::CONTENT_SECURITY_POLICY],
        csp.as_str()
    );
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
    ] {
        assert_eq!(response.headers()[name], value, "{name}");
    }
}

#[tokio::test]
async fn api_responses_get_a_deny_all_csp() {
    let app = app(Setup {
        postgres: false,
        redis: false,
        ..Setup::default()
    })
    .await;
    let (response, _) = app.get("/api/health").await;
    assert_eq!(
        response.headers()[header::CONTENT_SECURITY_POLICY],
        "default-src 'none'; frame-ancestors 'none'"
    );
}
