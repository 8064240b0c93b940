//! Malformed input to every server function and every REST route, as an admin (who gets past
//! every role check): no answer is a 5xx, every refusal is a 4xx with a specific message, and
//! nothing is written to the database.

use crate::api_v1::token_for;
use crate::backup::every_row;
use crate::container_actions::{row, world};
use crate::support::ORIGIN;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use berth_domain::Role;

/// Bodies no client of Berth sends: broken or wrongly typed JSON, broken forms, bytes that are
/// not UTF-8, absurd sizes.
fn bodies() -> Vec<Vec<u8>> {
    let mut bodies: Vec<Vec<u8>> = [
        "",
        "{",
        "null",
        "[]",
        "\"text\"",
        "12",
        "{\"id\":{}}",
        "{\"request\":[1,2]}",
        "{\"spec\":{\"identity\":7}}",
        "{\"id\":\"00000000-0000-0000-0000-000000000000\",\"extra\":[{}]}",
        "id=%ZZ&from=%",
        "a=b&&&=c",
        "id=not-a-uuid&confirm=",
        "request=%7B",
    ]
    .into_iter()
    .map(|b| b.as_bytes().to_vec())
    .collect();
    bodies.push(vec![0xff, 0xfe, 0x00, 0x80, 0x7b]);
    bodies.push(format!("{{\"id\":\"{}\"}}", "9".repeat(100_000)).into_bytes());
    bodies
}

fn refused_well(path: &str, status: StatusCode, body: &str) {
    assert!(
        !status.is_server_error(),
        "{path} answered {status} to malformed input: {body}"
    );
    if status.is_client_error() {
        assert!(
            !body.trim().is_empty() && !body.contains("could not be reached"),
            "{path}: a {status} must say what was wrong: {body:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_input_gets_a_specific_4xx_and_writes_nothing() {
    let world = world().await;
    // The poller's snapshot, so that reads of the container list answer.
    world.snapshot(vec![row(4500, "running", None)]).await;
    let app = &world.app;
    let url = app._db.as_ref().unwrap().url().to_string();
    let cookie = app.sign_in_as(Role::Admin).await;
    let admin = app
        .create_user("fuzz-admin", Role::Admin, "a long enough password")
        .await;
    let (_, token) = token_for(app, &admin, Role::Admin, None).await;
    berth_catalog::builtin::seed(&mut app.pool.get().await.unwrap())
        .await
        .unwrap();
    let before = every_row(&url).await;

    let mut sent = 0;
    let mut functions: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    functions.sort_unstable();
    assert!(functions.len() >= 20, "{functions:?}");
    for path in &functions {
        for body in bodies() {
            for content_type in ["application/json", "application/x-www-form-urlencoded"] {
                let request = Request::post(*path)
                    .header(header::CONTENT_TYPE, content_type)
                    .header(header::ACCEPT, "application/json")
                    .header(header::COOKIE, &cookie)
                    .header("sec-fetch-site", "same-origin")
                    .header(header::ORIGIN, ORIGIN)
                    .body(Body::from(body.clone()))
                    .unwrap();
                let (response, text) = app.send(request).await;
                refused_well(path, response.status(), &text);
                sent += 1;
            }
        }
    }

    let bearer = format!("Bearer {token}");
    for (method, path) in berth_server::api_v1::route_list() {
        // Path parameters get nonsense too.
        let path = format!("/api/v1{path}")
            .replace("{vmid}", "99999999999")
            .replace("{id}", "not-an-id");
        for body in bodies() {
            let request = Request::builder()
                .method(method.clone())
                .uri(&path)
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::AUTHORIZATION, &bearer)
                .body(Body::from(body))
                .unwrap();
            let (response, text) = app.send(request).await;
            refused_well(&path, response.status(), &text);
            sent += 1;
        }
    }
    // Requests that only read (GETs without arguments) succeed; the rest were refused.
    assert!(sent > 1000, "{sent} requests");
    // The bearer token's `last_used_at` moves with every use: bookkeeping, not input.
    let mut after = every_row(&url).await;
    let mut before = before;
    let tokens = (
        before.remove("api_tokens").unwrap_or_default(),
        after.remove("api_tokens").unwrap_or_default(),
    );
    let changed: Vec<&String> = after
        .iter()
        .filter(|(table, rows)| before.get(*table) != Some(*rows))
        .map(|(table, _)| table)
        .collect();
    assert!(changed.is_empty(), "malformed input wrote to {changed:?}");
    assert_eq!(
        tokens.0.matches("\"id\"").count(),
        tokens.1.matches("\"id\"").count()
    );
}
