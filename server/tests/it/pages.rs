//! Server-side rendering of the pages and the readiness server function.

use crate::support::{Setup, app};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

#[tokio::test]
async fn home_page_renders_every_dependency_on_the_server() {
    let app = app(Setup::default()).await;
    app.register_worker().await;
    let cookie = app.sign_in_as(berth_domain::Role::Viewer).await;
    let (response, html) = app.get_as("/", &cookie).await;
    let html = crate::support::without_markers(&html);
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        html.starts_with("<!DOCTYPE html>"),
        "{}",
        &html[..80.min(html.len())]
    );
    assert!(html.contains(r#"data-hydrated="false""#));
    assert!(html.contains("<h1>System status</h1>"));
    assert!(html.contains(r#"aria-label="Primary""#), "{html}");
    for dependency in ["postgres", "redis", "worker"] {
        assert!(
            html.contains(&format!(
                r#"data-testid="dependency-{dependency}" data-status="up""#
            )),
            "{dependency} up in {html}"
        );
    }
    assert!(html.contains(r#"data-testid="readiness-overall" data-status="ready""#));
    // The refresh button only works once hydrated.
    assert!(
        html.contains("disabled"),
        "refresh is disabled before hydration"
    );
    assert!(html.contains(r#"href="/berth.css""#));
}

#[tokio::test]
async fn home_page_shows_a_down_dependency() {
    let app = app(Setup {
        redis: false,
        ..Setup::default()
    })
    .await;
    let cookie = app.sign_in_as(berth_domain::Role::Viewer).await;
    let (response, html) = app.get_as("/", &cookie).await;
    let html = crate::support::without_markers(&html);
    assert_eq!(response.status(), StatusCode::OK);
    assert!(html.contains(r#"data-testid="dependency-redis" data-status="down""#));
    assert!(html.contains(r#"data-testid="readiness-overall" data-status="degraded""#));
}

#[tokio::test]
async fn every_section_renders_with_its_heading() {
    let app = app(Setup::default()).await;
    let cookie = app.sign_in_as(berth_domain::Role::Admin).await;
    for (path, title) in [
        ("/containers", "Containers"),
        ("/templates", "Templates"),
        ("/jobs", "Jobs"),
        ("/audit", "Audit"),
        ("/admin", "Admin"),
    ] {
        let (response, html) = app.get_as(path, &cookie).await;
        let html = crate::support::without_markers(&html);
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(
            html.contains(&format!("<h1>{title}</h1>")),
            "{path}: {html}"
        );
        assert!(
            html.contains(r#"aria-current="page""#),
            "{path} marks its nav link"
        );
    }
}

#[tokio::test]
async fn unknown_paths_are_404_pages() {
    let app = app(Setup::default()).await;
    let cookie = app.sign_in_as(berth_domain::Role::Viewer).await;
    let (response, html) = app.get_as("/no/such/page", &cookie).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found"));
}

#[tokio::test]
async fn readiness_server_function_answers_json() {
    let app = app(Setup::default()).await;
    app.register_worker().await;
    let cookie = app.sign_in_as(berth_domain::Role::Viewer).await;
    let request = Request::post("/api/fn/readiness")
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", "same-origin")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::empty())
        .unwrap();
    let (response, body) = app.send(request).await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
    let readiness: berth_domain::Readiness = serde_json::from_str(&body).unwrap();
    assert!(readiness.is_ready(), "{readiness:?}");
    assert_eq!(readiness.checks.len(), 4);
    let proxmox = readiness.check(berth_domain::Dependency::Proxmox).unwrap();
    assert_eq!(
        proxmox.status,
        berth_domain::DependencyStatus::NotConfigured
    );
}
