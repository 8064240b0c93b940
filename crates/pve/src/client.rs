//! `PveClient` and its transport: one place that builds every request (auth headers, form
//! body or query string, timeout, per-node limit, tracing span) and turns every answer into
//! data or an [`Error`].

use crate::config::ClientBuilder;
use crate::endpoints::{Endpoint, Method};
use crate::error::Error;
use crate::form::Params;
use crate::limiter::NodeLimiter;
use crate::response::{RawResponse, decode};
use crate::session::{AuthHeaders, AuthState};
use crate::tls;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::Instrument;
use tracing::field::Empty;

/// A client for one PVE cluster (through one node's API). Cheap to clone; clones share the
/// connection pool, the ticket and the per-node limits.
#[derive(Debug, Clone)]
pub struct PveClient {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    http: reqwest::Client,
    base: String,
    pub(crate) auth: AuthState,
    limiter: NodeLimiter,
    timeout: Duration,
    pub(crate) task_poll_interval: Duration,
}

impl PveClient {
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    pub(crate) fn from_builder(b: ClientBuilder) -> Result<Self, Error> {
        let base = b.api_base()?;
        let tls = tls::client_config(&b.tls)?;
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .connect_timeout(b.connect_timeout)
            // A PVE node is reached directly; a proxy from the environment would see tokens.
            .no_proxy()
            .user_agent(concat!("berth-pve/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        let auth = AuthState::new(b.credentials, b.ticket_policy)?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                base,
                auth,
                limiter: NodeLimiter::new(b.per_node_limit),
                timeout: b.timeout,
                task_poll_interval: b.task_poll_interval,
            }),
        })
    }

    /// Calls `ep` and returns its `data`.
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        ep: &Endpoint,
        args: &[&str],
        params: Params,
    ) -> Result<T, Error> {
        self.call_with_total(ep, args, params)
            .await
            .map(|(data, _)| data)
    }

    /// Calls `ep` and returns its `data` and the `total` some list endpoints add.
    pub(crate) async fn call_with_total<T: DeserializeOwned>(
        &self,
        ep: &Endpoint,
        args: &[&str],
        params: Params,
    ) -> Result<(T, Option<u64>), Error> {
        let auth = self.auth_headers().await?;
        let raw = self.send(ep, args, &params, auth).await?;
        if raw.status == 401 {
            // A ticket the server no longer accepts: log in afresh on the next call.
            self.forget_ticket().await;
        }
        decode(ep.method, &ep.fill(args).unwrap_or_default(), raw)
    }

    /// Sends one request and reads the whole answer, under the node's limit and the timeout.
    pub(crate) async fn send(
        &self,
        ep: &Endpoint,
        args: &[&str],
        params: &Params,
        auth: Option<AuthHeaders>,
    ) -> Result<RawResponse, Error> {
        debug_assert!(
            params.keys().all(|k| ep.accepts(k)),
            "{} {} sends a parameter missing from its endpoint table entry",
            ep.method,
            ep.path
        );
        let path = ep
            .fill(args)
            .ok_or_else(|| Error::Config(format!("wrong path arguments for {}", ep.path)))?;
        let node = ep.node_of(args).unwrap_or("");
        let span = tracing::info_span!(
            "pve_call",
            method = %ep.method,
            path = %path,
            node,
            status = Empty,
            duration_ms = Empty,
        );
        let _permit = self.inner.limiter.acquire(ep.node_of(args)).await;
        let started = Instant::now();
        let result = self
            .send_now(ep.method, &path, params, auth)
            .instrument(span.clone())
            .await;
        let elapsed = started.elapsed();
        span.record("duration_ms", elapsed.as_millis() as u64);
        record_call(ep, result.as_ref().ok().map(|raw| raw.status), elapsed);
        match &result {
            Ok(raw) => {
                span.record("status", raw.status);
                tracing::debug!(parent: &span, status = raw.status, "PVE call answered");
            }
            Err(e) => tracing::debug!(parent: &span, error = %e, "PVE call failed"),
        }
        result
    }

    async fn send_now(
        &self,
        method: Method,
        path: &str,
        params: &Params,
        auth: Option<AuthHeaders>,
    ) -> Result<RawResponse, Error> {
        let timeout = self.inner.timeout;
        let mut url = format!("{}{path}", self.inner.base);
        // Never a body on GET/DELETE: the server answers 501 to one.
        if method.uses_query() && !params.is_empty() {
            url.push('?');
            url.push_str(&params.encode());
        }
        let url = url::Url::parse(&url)
            .map_err(|e| Error::Config(format!("bad request URL {url:?}: {e}")))?;
        let http_method = match method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut req = self.inner.http.request(http_method, url).timeout(timeout);
        if !method.uses_query() {
            req = req
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(params.encode());
        }
        let mut request = req
            .build()
            .map_err(|e| Error::Config(format!("request: {e}")))?;
        let headers = request.headers_mut();
        match auth {
            Some(AuthHeaders::Token(value)) => {
                headers.insert(AUTHORIZATION, value);
            }
            Some(AuthHeaders::Ticket { cookie, csrf }) => {
                headers.insert(COOKIE, cookie);
                if method != Method::Get {
                    headers.insert("CSRFPreventionToken", csrf);
                }
            }
            None => {}
        }
        let response = self
            .inner
            .http
            .execute(request)
            .await
            .map_err(|e| send_error(e, method, path, timeout, &self.inner.base))?;
        let status = response.status();
        let reason = response
            .extensions()
            .get::<hyper::ext::ReasonPhrase>()
            .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned())
            .unwrap_or_else(|| status.canonical_reason().unwrap_or("").to_owned());
        let body = response
            .text()
            .await
            .map_err(|e| send_error(e, method, path, timeout, &self.inner.base))?;
        Ok(RawResponse {
            status: status.as_u16(),
            reason,
            body,
        })
    }
}

/// Classifies a transport failure by whether the request may have left.
fn send_error(
    e: reqwest::Error,
    method: Method,
    path: &str,
    timeout: Duration,
    base: &str,
) -> Error {
    if e.is_connect()
        && let Some(reason) = tls::certificate_problem(&e)
    {
        return Error::Certificate {
            url: base.to_owned(),
            reason,
        };
    }
    if e.is_timeout() {
        return Error::Timeout {
            method,
            path: path.to_owned(),
            timeout,
            // A timeout while still connecting means nothing was sent.
            sent: !e.is_connect(),
        };
    }
    if e.is_connect() {
        return Error::Connect {
            url: base.to_owned(),
            message: error_chain(&e),
            source: e,
        };
    }
    Error::Transport {
        method,
        path: path.to_owned(),
        message: error_chain(&e),
        source: e,
    }
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(s) = next {
        out.push_str(": ");
        out.push_str(&s.to_string());
        next = s.source();
    }
    out
}

/// Prometheus: one count and one duration per call, labelled by the endpoint's path template
/// (`/nodes/{node}/lxc/{vmid}/status/current`), so the label set stays small.
fn record_call(ep: &Endpoint, status: Option<u16>, elapsed: std::time::Duration) {
    let method = ep.method.as_str();
    let status = status.map_or_else(|| "error".to_string(), |s| s.to_string());
    metrics::counter!("berth_pve_requests_total", "method" => method,
        "endpoint" => ep.path, "status" => status)
    .increment(1);
    metrics::histogram!("berth_pve_request_duration_seconds", "method" => method,
        "endpoint" => ep.path)
    .record(elapsed.as_secs_f64());
}
