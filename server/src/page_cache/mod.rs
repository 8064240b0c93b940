//! A short-lived cache of the containers page as rendered for one session.
//!
//! The page is the poller's snapshot and the current actions, both of which change only when the
//! cluster's channel says so; the browser then follows the websocket, which sends the whole
//! snapshot first. So a copy rendered at most [`MAX_AGE`] ago, and not before the channel's last
//! message, shows what a fresh render would. A hit costs a lookup and the write of the bytes.
//!
//! Each copy is kept per session (cookie and principal) and URL, and every response gets a fresh
//! CSP nonce: the body is kept split at the nonce it was rendered with, plain and gzipped (the
//! nonce is spliced into the compressed stream, see [`gzip`]). While one request renders
//! a newer copy, the others are served the old one, so an expiry is one render, not fifty.

mod gzip;
mod store;

use app::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use berth_auth::policy::Principal;
use berth_domain::CurrentUser;
use berth_jobs::{Events, Received};
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};
use store::{Lookup, Rendered, Store};

/// How long a copy is served at most, even when the channel is silent (a publish was lost).
pub const MAX_AGE: Duration = Duration::from_secs(1);
/// At most this many bytes of pages are kept (each copy of 500 containers is about 370 KB).
const BUDGET: usize = 32 << 20;
/// The pages kept: what they show comes from the containers channel.
const PAGES: [&str; 1] = ["/containers"];

/// Which copy: who asked (their session's cookies and what the session resolved to) and what.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PageKey {
    cookie: String,
    user: uuid::Uuid,
    username: String,
    display_name: String,
    role: String,
    uri: String,
}

#[derive(Clone)]
pub struct PageCache {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache")
            .field("channel", &self.inner.channel)
            .finish_non_exhaustive()
    }
}

struct Inner {
    store: Mutex<Store<PageKey>>,
    /// Moves with every message on the containers channel (and every gap in it).
    generation: AtomicU64,
    following: AtomicBool,
    events: Events,
    channel: String,
}

impl PageCache {
    pub fn new(state: &AppState) -> Self {
        let events = state.queue.events();
        let channel = events.containers_channel(app::containers::api_ssr::CLUSTER);
        Self {
            inner: Arc::new(Inner {
                store: Mutex::new(Store::new(MAX_AGE, BUDGET)),
                generation: AtomicU64::new(0),
                following: AtomicBool::new(false),
                events,
                channel,
            }),
        }
    }

    fn key(request: &Request) -> Option<PageKey> {
        if request.method() != Method::GET || !PAGES.contains(&request.uri().path()) {
            return None;
        }
        let principal = request.extensions().get::<Principal>()?;
        let user = request.extensions().get::<CurrentUser>()?;
        let cookie = request.headers().get(header::COOKIE)?.to_str().ok()?;
        Some(PageKey {
            cookie: cookie.to_owned(),
            user: principal.user_id,
            username: principal.username.clone(),
            display_name: user.display_name.clone(),
            role: principal.role.to_string(),
            uri: request.uri().to_string(),
        })
    }

    fn store(&self) -> std::sync::MutexGuard<'_, Store<PageKey>> {
        self.inner
            .store
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Follows the containers channel from the first cached request on, for as long as the
    /// cache lives; every message or gap makes the kept pages old.
    fn follow_channel(&self) {
        if self.inner.following.swap(true, Ordering::AcqRel) {
            return;
        }
        let inner = Arc::downgrade(&self.inner);
        tokio::spawn(follow(inner));
    }
}

async fn follow(cache: Weak<Inner>) {
    loop {
        let Some(inner) = cache.upgrade() else { return };
        let subscribed = inner
            .events
            .subscribe(std::slice::from_ref(&inner.channel))
            .await;
        inner.generation.fetch_add(1, Ordering::AcqRel);
        drop(inner);
        if let Ok(mut subscription) = subscribed {
            while let Some(received) = subscription.recv().await {
                let Some(inner) = cache.upgrade() else { return };
                if matches!(received, Received::Message(_) | Received::Gap) {
                    inner.generation.fetch_add(1, Ordering::AcqRel);
                }
            }
        }
        // Not subscribed (Redis is away): pages live for MAX_AGE only until it is back.
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// The middleware: serves a kept copy, or renders and keeps one. Runs after authentication.
pub async fn serve(State(cache): State<PageCache>, request: Request, next: Next) -> Response {
    let Some(key) = PageCache::key(&request) else {
        return next.run(request).await;
    };
    cache.follow_channel();
    let generation = cache.inner.generation.load(Ordering::Acquire);
    let lookup = cache.store().lookup(&key, generation, Instant::now());
    let result = match &lookup {
        Lookup::Fresh(_) => "fresh",
        Lookup::Stale(_) => "stale",
        Lookup::Render => "render",
    };
    metrics::counter!("berth_page_cache_requests_total", "result" => result).increment(1);
    let gzip = accepts_gzip(request.headers());
    match lookup {
        Lookup::Fresh(page) | Lookup::Stale(page) => respond(&page, gzip),
        Lookup::Render => match keep(next.run(request).await).await {
            Ok(page) => {
                let page = Arc::new(page);
                cache
                    .store()
                    .insert(key, page.clone(), generation, Instant::now());
                respond(&page, gzip)
            }
            Err(response) => {
                cache.store().abandon(&key);
                response
            }
        },
    }
}

/// Whether `Accept-Encoding` takes gzip (by name or `*`, with a quality above 0).
fn accepts_gzip(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|item| {
            let mut params = item.split(';').map(str::trim);
            let coding = params.next().unwrap_or_default();
            let refused = params.any(|param| {
                param
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
}

/// The copy to keep when the response is a whole page that may be kept (200, HTML, no cookie
/// set, and a CSP nonce to replace), plain and gzipped (whoever asks next, a browser takes
/// gzip); otherwise the response as rendered.
async fn keep(response: Response) -> Result<Rendered, Response> {
    let headers = response.headers();
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let nonce = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(nonce_of)
        .map(str::to_owned);
    let (Some(nonce), true, true, false) = (
        nonce,
        response.status() == StatusCode::OK,
        html,
        headers.contains_key(header::SET_COOKIE),
    ) else {
        return Err(response);
    };
    let (mut parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(error) => {
            tracing::warn!(%error, "a page's body failed while it was being rendered");
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
    };
    let mut kept_headers = parts.headers.clone();
    for name in [
        header::CONTENT_SECURITY_POLICY,
        header::CONTENT_LENGTH,
        header::TRANSFER_ENCODING,
    ] {
        kept_headers.remove(name);
    }
    let Some(mut page) = Rendered::split(kept_headers, &body, &nonce) else {
        parts.headers.remove(header::CONTENT_LENGTH);
        return Err(Response::from_parts(parts, Body::from(body)));
    };
    // A few milliseconds of CPU for a large page, once per render: off the request threads.
    let segments = page.segments.clone();
    match tokio::task::spawn_blocking(move || gzip::Gzipped::compress(&segments)).await {
        Ok(Ok(gzipped)) => page.gzipped = Some(gzipped),
        Ok(Err(error)) => tracing::warn!(%error, "cannot compress a kept page"),
        Err(error) => tracing::warn!(%error, "the compression of a kept page failed"),
    }
    Ok(page)
}

/// `'nonce-abc'` in a policy → `abc`.
fn nonce_of(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let end = start + policy[start..].find('\'')?;
    let nonce = &policy[start..end];
    (!nonce.is_empty()).then_some(nonce)
}

/// A kept copy with a nonce of its own, and the policy that names it; gzipped when the client
/// takes it and the copy has it.
fn respond(page: &Rendered, gzip: bool) -> Response {
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let gzipped = page.gzipped.as_ref().filter(|_| gzip);
    let (parts, length) = match gzipped {
        Some(gzipped) => gzipped.with_nonce(&nonce),
        None => page.with_nonce(&nonce),
    };
    let body = Body::from_stream(futures::stream::iter(
        parts.into_iter().map(Ok::<Bytes, Infallible>),
    ));
    let mut response = Response::new(body);
    *response.headers_mut() = page.headers.clone();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if gzipped.is_some() {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    if let Ok(policy) = HeaderValue::from_str(&app::content_security_policy(&nonce)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::{accepts_gzip, nonce_of};
    use axum::http::{HeaderMap, HeaderValue, header};

    #[test]
    fn gzip_is_taken_by_name_or_star_unless_its_quality_is_zero() {
        let takes = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
            accepts_gzip(&headers)
        };
        assert!(takes("gzip, deflate, br, zstd"));
        assert!(takes("br;q=1.0, GZIP;q=0.5"));
        assert!(takes("*"));
        assert!(!takes("br, zstd"));
        assert!(!takes("gzip;q=0, br"));
        assert!(!takes("gzip; q=0.000"));
        assert!(!takes("identity"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn the_nonce_is_read_from_the_policy() {
        let policy = app::content_security_policy("AbC123+/=");
        assert_eq!(nonce_of(&policy), Some("AbC123+/="));
        assert_eq!(nonce_of("default-src 'self'"), None);
        assert_eq!(nonce_of("script-src 'nonce-'"), None);
    }
}
