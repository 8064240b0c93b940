//! Finds who a request comes from and sends anyone without a session from a page to sign in.

use super::AuthServices;
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use berth_domain::url::encode_query_value;

pub async fn authenticate(
    State(auth): State<AuthServices>,
    mut request: Request,
    next: Next,
) -> Response {
    let signed_in = match auth.resolve(request.headers()).await {
        Some((principal, user)) => {
            request.extensions_mut().insert(principal);
            request.extensions_mut().insert(user);
            true
        }
        None => false,
    };
    if !signed_in && is_page(&request) {
        let target = request
            .uri()
            .path_and_query()
            .map_or("/", |pq| pq.as_str())
            .to_string();
        let location = format!("/login?next={}", encode_query_value(&target));
        let mut response = Redirect::to(&location).into_response();
        // A stale cookie would only send the browser round in circles.
        if auth.session_id(request.headers()).is_some()
            && let Ok(clear) = berth_auth::session::clear_cookie_header(&auth.cookie).parse()
        {
            response.headers_mut().insert(header::SET_COOKIE, clear);
        }
        return response;
    }
    next.run(request).await
}

/// A page of the app (not the sign-in page, the API, sign-in routes or static files).
fn is_page(request: &Request) -> bool {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return false;
    }
    let path = request.uri().path();
    let public = path == "/login"
        || ["/api/", "/auth/", "/pkg/"]
            .iter()
            .any(|p| path.starts_with(p))
        || path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'));
    !public
}
