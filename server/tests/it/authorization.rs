//! Every server function × every role, against an expected table written out here (not derived
//! from the policy code): the server refuses with 403 exactly where the table says so, and
//! without a session everything is 401.

use crate::support::{Setup, app};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use berth_domain::Role;

/// (server function, harmless form body, allowed for [viewer, operator, admin]).
/// Mutations use an unknown user id, so an allowed call fails validation (400) and changes nothing.
const CASES: &[(&str, &str, [bool; 3])] = &[
    ("readiness", "", [true, true, true]),
    ("current-user", "", [true, true, true]),
    ("audit", "", [false, false, true]),
    ("admin/users", "", [false, false, true]),
    (
        "admin/users/create",
        "username=&display_name=&email=&role=viewer&password=x",
        [false, false, true],
    ),
    (
        "admin/users/role",
        "user_id=00000000-0000-0000-0000-000000000000&role=viewer",
        [false, false, true],
    ),
    (
        "admin/users/disabled",
        "user_id=00000000-0000-0000-0000-000000000000&disabled=true",
        [false, false, true],
    ),
    (
        "admin/users/end-sessions",
        "user_id=00000000-0000-0000-0000-000000000000",
        [false, false, true],
    ),
    ("account/tokens", "", [true, true, true]),
    (
        "account/tokens/create",
        "name=&expires_in_days=&role=viewer",
        [true, true, true],
    ),
    (
        "account/tokens/revoke",
        "id=00000000-0000-0000-0000-000000000000",
        [true, true, true],
    ),
    ("account/sessions", "", [true, true, true]),
    (
        "account/sessions/revoke",
        "handle=zzzzzzzz",
        [true, true, true],
    ),
    (
        "account/password",
        "current_password=&new_password=short&repeat_password=",
        [true, true, true],
    ),
];

async fn call(
    app: &crate::support::TestApp,
    cookie: Option<&str>,
    endpoint: &str,
    form: &str,
) -> StatusCode {
    let mut request = Request::post(format!("/api/fn/{endpoint}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header("sec-fetch-site", "same-origin");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let (response, _) = app
        .send(request.body(Body::from(form.to_string())).unwrap())
        .await;
    response.status()
}

#[tokio::test]
async fn every_role_meets_exactly_the_refusals_the_table_expects() {
    let app = app(Setup::default()).await;
    let roles = [Role::Viewer, Role::Operator, Role::Admin];
    let mut cookies = Vec::new();
    for role in roles {
        cookies.push(app.sign_in_as(role).await);
    }
    let mut wrong = Vec::new();
    for (endpoint, form, allowed) in CASES {
        for (index, role) in roles.iter().enumerate() {
            let status = call(&app, Some(&cookies[index]), endpoint, form).await;
            let refused = status == StatusCode::FORBIDDEN;
            if refused == allowed[index] || status == StatusCode::UNAUTHORIZED {
                wrong.push(format!("{endpoint} as {role}: {status}"));
            }
        }
        let anonymous = call(&app, None, endpoint, form).await;
        if *endpoint != "current-user" && anonymous != StatusCode::UNAUTHORIZED {
            wrong.push(format!("{endpoint} without a session: {anonymous}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "unexpected outcomes:\n{}",
        wrong.join("\n")
    );
}
