//! `GET /api/v1/openapi.json`: served without a token, an OpenAPI 3.1 document whose paths are
//! exactly the routes the router serves — each documented operation reaches a handler (no
//! "No such API route."), and every routed one is documented.

use crate::api_v1::{get_with, json, token_for};
use crate::support::{Setup, app};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use berth_domain::Role;
use std::collections::BTreeSet;

#[tokio::test]
async fn the_document_describes_every_route_and_only_those() {
    let app = app(Setup::default()).await;
    let (response, body) = get_with(&app, "/api/v1/openapi.json", &[]).await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
    let document = json(&body);
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(
        document["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );

    let documented: BTreeSet<(String, String)> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect();
    let routed: BTreeSet<(String, String)> = berth_server::api_v1::route_list()
        .into_iter()
        .map(|(method, path)| (method.to_string(), path.to_string()))
        .collect();
    assert_eq!(documented, routed);

    // Each documented operation, asked with its parameters filled in, reaches a handler.
    let admin = app
        .create_user("doc-reader", Role::Admin, "correct horse battery staple")
        .await;
    let token = token_for(&app, &admin, Role::Admin, None).await.1;
    for (method, path) in &documented {
        let concrete = path
            .replace("{name}", "debian-base")
            .replace("{id}", "6c0d3cc4-8f1f-4b8e-9d1a-3d3f8f1f0a11")
            .replace("{vmid}", "100");
        assert!(!concrete.contains('{'), "a parameter left in {path}");
        let request = Request::builder()
            .method(method.as_str())
            .uri(format!("/api/v1{concrete}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        let (response, body) = app.send(request).await;
        assert!(
            !body.contains("No such API route")
                && response.status() != StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: {} {body}",
            response.status()
        );
        let operation = &document["paths"][path][method.to_lowercase()];
        assert!(
            operation["responses"]
                .as_object()
                .is_some_and(|r| !r.is_empty()),
            "{method} {path} has no responses"
        );
    }

    // An undocumented route is the API's 404, so the check above can fail.
    let (response, body) = get_with(
        &app,
        "/api/v1/nothing-here",
        &[("authorization", &format!("Bearer {token}"))],
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(body.contains("No such API route"), "{body}");
}
