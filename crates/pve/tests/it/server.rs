//! A tiny HTTPS server speaking PVE's wire format: a test gives it a handler that maps a
//! recorded request to a reply (status, status-line reason phrase, body, delay). It records
//! every request and the most calls in flight per node.

use crate::certs::Certs;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{HeaderMap, Request, Response};
use hyper_util::rt::TokioIo;
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Without the `/api2/json` prefix, percent-decoded.
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: String,
}

impl Recorded {
    /// Form or query parameters (decoded), from the body for POST/PUT, else the query.
    pub fn params(&self) -> HashMap<String, String> {
        let text = if self.method == "POST" || self.method == "PUT" {
            self.body.as_str()
        } else {
            self.query.as_deref().unwrap_or("")
        };
        url::form_urlencoded::parse(text.as_bytes())
            .into_owned()
            .collect()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The node of a `/nodes/{node}/…` path.
    pub fn node(&self) -> Option<&str> {
        self.path.strip_prefix("/nodes/")?.split('/').next()
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub reason: Option<String>,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    /// `200` with `{"data": …}`.
    pub fn data(data: serde_json::Value) -> Self {
        Self::raw(200, None, serde_json::json!({ "data": data }).to_string())
    }

    /// Any status, reason phrase and body.
    pub fn raw(status: u16, reason: Option<&str>, body: impl Into<String>) -> Self {
        Self {
            status,
            reason: reason.map(str::to_owned),
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Handler = Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>;

#[derive(Default)]
struct Stats {
    requests: Vec<Recorded>,
    in_flight: HashMap<String, (usize, usize)>,
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub certs: Arc<Certs>,
    stats: Arc<Mutex<Stats>>,
}

impl TestServer {
    pub async fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        let certs = Arc::new(Certs::generate());
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs.chain.clone(), certs.private_key())
            .unwrap();
        let acceptor = TlsAcceptor::from(Arc::new(tls));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let stats = Arc::new(Mutex::new(Stats::default()));
        let handler: Handler = Arc::new(handler);
        let (st, h) = (stats.clone(), handler.clone());
        tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    return;
                };
                let (acceptor, st, h) = (acceptor.clone(), st.clone(), h.clone());
                tokio::spawn(async move {
                    // A client that rejects our certificate ends the handshake: fine.
                    let Ok(tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let service = service_fn(move |req| serve(req, st.clone(), h.clone()));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(tls), service)
                        .await;
                });
            }
        });
        Self { addr, certs, stats }
    }

    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.addr.port())
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.stats.lock().unwrap().requests.clone()
    }

    /// The most calls that were in flight at once for `node`.
    pub fn max_in_flight(&self, node: &str) -> usize {
        self.stats
            .lock()
            .unwrap()
            .in_flight
            .get(node)
            .map_or(0, |v| v.1)
    }
}

async fn serve(
    req: Request<Incoming>,
    stats: Arc<Mutex<Stats>>,
    handler: Handler,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let raw_path = parts.uri.path();
    let decoded = percent_encoding::percent_decode_str(raw_path).decode_utf8_lossy();
    let rec = Recorded {
        method: parts.method.to_string(),
        path: decoded
            .strip_prefix("/api2/json")
            .unwrap_or(&decoded)
            .to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let node = rec.node().map(str::to_owned);
    {
        let mut s = stats.lock().unwrap();
        s.requests.push(rec.clone());
        if let Some(n) = &node {
            let e = s.in_flight.entry(n.clone()).or_default();
            e.0 += 1;
            e.1 = e.1.max(e.0);
        }
    }
    // Like pve-http-server: a body on GET/DELETE is refused before any handler runs.
    let reply = if (rec.method == "GET" || rec.method == "DELETE") && !rec.body.is_empty() {
        let msg = format!("Unexpected content for method '{}'", rec.method);
        Reply::raw(
            501,
            Some(&msg),
            format!(r#"{{"data":null,"message":"{msg}"}}"#),
        )
    } else {
        handler(&rec)
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    if let Some(n) = &node
        && let Some(e) = stats.lock().unwrap().in_flight.get_mut(n)
    {
        e.0 -= 1;
    }
    let mut resp = Response::builder()
        .status(reply.status)
        .header("Server", "pve-api-daemon/3.0")
        .header("Content-Type", "application/json;charset=UTF-8")
        .header("Cache-Control", "max-age=0")
        .header("Pragma", "no-cache");
    if reply.status >= 400 {
        // pve-http-server closes the connection after an error.
        resp = resp.header("Connection", "close");
    }
    let mut resp = resp.body(Full::new(Bytes::from(reply.body))).unwrap();
    if let Some(reason) = reply.reason {
        let phrase = hyper::ext::ReasonPhrase::try_from(reason.into_bytes()).unwrap();
        resp.extensions_mut().insert(phrase);
    }
    Ok(resp)
}
