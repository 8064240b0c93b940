//! The template catalog on the REST API: list, read, export, import with every problem and its
//! path (422), and admin-only import; the browser's session export link.

use crate::api_v1::{get_bearer, json, token_for};
use crate::support::{ORIGIN, Setup, TestApp, app};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use berth_domain::Role;

async fn seeded() -> TestApp {
    let app = app(Setup::default()).await;
    let mut conn = app.pool.get().await.unwrap();
    berth_catalog::builtin::seed(&mut conn).await.unwrap();
    app
}

async fn token(app: &TestApp, role: Role) -> String {
    let user = app
        .create_user(
            &format!("api-{}", role.key()),
            role,
            "correct horse battery staple",
        )
        .await;
    token_for(app, &user, role, None).await.1
}

async fn import(app: &TestApp, token: &str, yaml: &str) -> (StatusCode, serde_json::Value) {
    let request = Request::post("/api/v1/templates/import")
        .header("authorization", format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/yaml")
        .header(header::ORIGIN, ORIGIN)
        .body(Body::from(yaml.to_string()))
        .unwrap();
    let (response, body) = app.send(request).await;
    (response.status(), json(&body))
}

#[tokio::test]
async fn viewers_list_read_and_export_the_catalog() {
    let app = seeded().await;
    let viewer = token(&app, Role::Viewer).await;
    let (response, body) = get_bearer(&app, "/api/v1/templates?tag=nodejs", &viewer).await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
    let names: Vec<_> = json(&body)["templates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["web3-dev"]);

    let (response, body) = get_bearer(&app, "/api/v1/templates/debian-base", &viewer).await;
    assert_eq!(response.status(), StatusCode::OK);
    let detail = json(&body);
    assert_eq!(detail["spec"]["name"], "debian-base");
    assert_eq!(detail["buckets"][0]["name"], "base-tools");
    assert_eq!(detail["current"]["version"], 1);

    let (response, body) = get_bearer(&app, "/api/v1/templates/debian-base/export", &viewer).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/yaml")
    );
    assert!(body.starts_with("berth: template/v1\n"), "{body}");

    let (response, body) = get_bearer(&app, "/api/v1/templates/nope", &viewer).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(json(&body)["error"], "No such template.");
    let (response, _) = get_bearer(
        &app,
        "/api/v1/templates/debian-base/export?version=x",
        &viewer,
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let (response, body) = get_bearer(&app, "/api/v1/buckets", &viewer).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(body.contains("base-tools"));

    // Viewers do not import.
    let (status, body) = import(&app, &viewer, berth_catalog::builtin::FILES[0].1).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
}

#[tokio::test]
async fn admins_import_and_every_problem_comes_back_with_its_path() {
    let app = seeded().await;
    let admin = token(&app, Role::Admin).await;
    let (_, exported) = get_bearer(&app, "/api/v1/templates/debian-base/export", &admin).await;
    let renamed = exported.replace("name: debian-base", "name: debian-copy");
    let (status, body) = import(&app, &admin, &renamed).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["name"], "debian-copy");
    assert_eq!(body["version"], 1);

    let (status, body) = import(&app, &admin, &renamed).await;
    assert_eq!(
        (status, body["version"].as_i64()),
        (StatusCode::OK, Some(2))
    );

    let broken = renamed
        .replace("memory_mib: 512", "memory_mib: 1")
        .replace("bridge: vmbr0", "bridge: '0bad'");
    let (status, body) = import(&app, &admin, &broken).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let paths: Vec<_> = body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["template.resources.memory_mib", "template.network.bridge"]
    );
    let (status, body) = import(&app, &admin, "not: [yaml").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // Audited with who did it.
    let mut conn = app.pool.get().await.unwrap();
    let filter = berth_db::audit::AuditFilter {
        action: Some("template.import".into()),
        ..Default::default()
    };
    let page = berth_db::audit::list(&mut conn, &filter, berth_db::Page::new(10, 0))
        .await
        .unwrap();
    assert_eq!(page.total, 2);
    assert_eq!(page.entries[0].target_id.as_deref(), Some("debian-copy"));
    assert!(page.entries[0].actor_user_id.is_some());
}

#[tokio::test]
async fn the_session_export_link_needs_a_session_and_gives_the_file() {
    let app = seeded().await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let (response, body) = app
        .get_as("/templates/export/dokploy?version=1", &cookie)
        .await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
    assert_eq!(
        response.headers()[header::CONTENT_DISPOSITION],
        "attachment; filename=\"dokploy.yaml\""
    );
    assert!(body.contains("name: dokploy"));
    let (response, _) = app
        .get_as("/templates/export/dokploy?version=9", &cookie)
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let (response, _) = app.get("/templates/export/dokploy").await;
    assert_ne!(response.status(), StatusCode::OK);
}
