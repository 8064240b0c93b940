//! Container actions on the REST API: the page's checks and queue behind a token, the action
//! readable by id; a viewer, a bad VMID and a body with unknown fields are refused.

use crate::api_v1::{get_bearer, json};
use crate::api_v1_containers::token;
use crate::container_actions::{row, world};
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use berth_domain::Role;

async fn post(
    app: &crate::support::TestApp,
    token: &str,
    vmid: &str,
    body: &str,
) -> (Response<Body>, String) {
    let request = Request::post(format!("/api/v1/containers/{vmid}/actions"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(request).await
}

#[tokio::test(flavor = "multi_thread")]
async fn an_action_is_queued_and_read_back_by_id() {
    let world = world().await;
    world.container(4500, false).await;
    world.snapshot(vec![row(4500, "stopped", None)]).await;
    let app = &world.app;
    let admin = token(app, Role::Admin).await;

    let (response, body) = post(app, &admin, "4500", r#"{"kind":"start"}"#).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED, "{body}");
    let queued = json(&body);
    assert_eq!(queued["state"], "queued");
    let location = response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        location,
        format!("/api/v1/actions/{}", queued["id"].as_str().unwrap())
    );
    let (response, body) = get_bearer(app, &location, &admin).await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
    assert_eq!(json(&body), queued);

    // The page's refusals, as JSON with the right status.
    let (response, body) = post(app, &admin, "4500", r#"{"kind":"reboot"}"#).await;
    assert_eq!(response.status(), StatusCode::CONFLICT, "{body}");
    let (response, body) = post(
        app,
        &admin,
        "4500",
        r#"{"kind":"destroy","confirm":"nope"}"#,
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "{body}"
    );
    assert!(body.contains("confirm"), "{body}");
    let (response, body) = post(app, &admin, "4500", r#"{"kind":"stop","force":true}"#).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("force"), "{body}");
    let (response, body) = post(app, &admin, "fourty", r#"{"kind":"stop"}"#).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "{body}");
    let viewer = token(app, Role::Viewer).await;
    let (response, body) = post(app, &viewer, "4500", r#"{"kind":"start"}"#).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "{body}");
    let (response, _) = get_bearer(app, "/api/v1/actions/not-an-id", &viewer).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let missing = format!("/api/v1/actions/{}", uuid::Uuid::new_v4());
    let (response, _) = get_bearer(app, &missing, &viewer).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
