//! CSRF protection without tokens: a mutating request or a websocket upgrade is refused unless the
//! browser says it comes from Berth's own origin (`Sec-Fetch-Site: same-origin`, or an `Origin`
//! header that is one of the allowed origins). Server functions do no CSRF checks of their own.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The origins (`scheme://host[:port]`) Berth is served from.
#[derive(Debug, Clone)]
pub struct AllowedOrigins(pub Arc<Vec<String>>);

impl AllowedOrigins {
    pub fn new(origins: Vec<String>) -> Self {
        Self(Arc::new(
            origins
                .into_iter()
                .map(|o| o.trim_end_matches('/').to_ascii_lowercase())
                .collect(),
        ))
    }

    fn allows(&self, origin: &str) -> bool {
        let origin = origin.trim_end_matches('/').to_ascii_lowercase();
        self.0.contains(&origin)
    }
}

pub async fn reject_cross_site(
    State(allowed): State<AllowedOrigins>,
    request: Request,
    next: Next,
) -> Response {
    if needs_check(&request)
        && let Err(reason) = verdict(request.headers(), &allowed)
    {
        tracing::warn!(
            method = %request.method(),
            path = %request.uri().path(),
            reason,
            "cross-site request refused"
        );
        return (
            StatusCode::FORBIDDEN,
            format!("Cross-site request refused: {reason}.\n"),
        )
            .into_response();
    }
    next.run(request).await
}

/// Reading is safe; anything that can change state, or open a websocket, is checked.
fn needs_check(request: &Request) -> bool {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let upgrade = request
        .headers()
        .get(header::UPGRADE)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"websocket"));
    !safe || upgrade
}

fn verdict(headers: &HeaderMap, allowed: &AllowedOrigins) -> Result<(), &'static str> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    // Sent by every current browser: the most direct answer when present.
    match text("sec-fetch-site") {
        Some("same-origin") => return Ok(()),
        // `none`: the user typed the URL or used a bookmark; not a cross-site request.
        Some("none") => {}
        Some(_) => return Err("the request comes from another site"),
        None => {}
    }
    match text(header::ORIGIN.as_str()) {
        Some(origin) if allowed.allows(origin) => Ok(()),
        Some(_) => Err("its Origin is not Berth's public URL (BERTH_PUBLIC_URL)"),
        // Browsers send Origin on every cross-origin POST; a request without it and without
        // cookies is a non-browser client (curl, CI with a token), which CSRF cannot abuse.
        None if headers.get(header::COOKIE).is_none() => Ok(()),
        None => Err("it carries cookies but no Origin"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    fn allowed() -> AllowedOrigins {
        AllowedOrigins::new(vec!["https://berth.example.com".into()])
    }

    #[test]
    fn same_origin_requests_pass() {
        assert!(verdict(&headers(&[("sec-fetch-site", "same-origin")]), &allowed()).is_ok());
        assert!(
            verdict(
                &headers(&[("origin", "https://Berth.example.com")]),
                &allowed()
            )
            .is_ok()
        );
        assert!(
            verdict(&headers(&[]), &allowed()).is_ok(),
            "curl without cookies"
        );
    }

    #[test]
    fn cross_site_requests_are_refused() {
        let cases: &[&[(&str, &str)]] = &[
            &[("sec-fetch-site", "cross-site")],
            &[("sec-fetch-site", "same-site")],
            &[("origin", "https://evil.example")],
            &[("origin", "null")],
            &[("cookie", "berth_session=x")],
            &[
                ("sec-fetch-site", "none"),
                ("origin", "https://evil.example"),
            ],
        ];
        for case in cases {
            assert!(verdict(&headers(case), &allowed()).is_err(), "{case:?}");
        }
    }
}
