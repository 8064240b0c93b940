//! Error classification from real status lines and bodies, timeouts and refused connections.

use crate::fixtures;
use crate::server::{Recorded, Reply, TestServer};
use berth_pve::types::CreateLxc;
use berth_pve::{ApiErrorKind, Credentials, Error, PveClient, Retry, TlsMode};
use std::time::Duration;

fn client_for(server: &TestServer) -> PveClient {
    PveClient::builder(server.url())
        .tls(TlsMode::Fingerprint(server.certs.fingerprint))
        .credentials(Credentials::token(
            fixtures::TOKEN_ID,
            fixtures::TOKEN_SECRET,
        ))
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap()
}

/// Real error answers (PVE-API.md §3.2), keyed by the vmid in the path.
fn errors(rec: &Recorded) -> Reply {
    match rec.path.as_str() {
        "/nodes/pve/lxc/400/status/stop" => Reply::raw(
            400,
            Some("Parameter verification failed."),
            // The pre-5.2.0 body: no message (Telmate issue #1405).
            r#"{"data":null,"errors":{"overrule-shutdown":"property is not defined in schema and the schema does not allow additional properties"}}"#,
        ),
        "/nodes/pve/lxc/403/status/start" => Reply::raw(
            403,
            Some("Permission check failed (/vms/403, VM.PowerMgmt)"),
            r#"{"data":null,"message":"Permission check failed (/vms/403, VM.PowerMgmt)\n"}"#,
        ),
        // An old server: the text is only in the status line.
        "/nodes/pve/lxc/500/status/start" => {
            Reply::raw(500, Some("CT 500 already running"), r#"{"data":null}"#)
        }
        "/nodes/pve/lxc/401/status/start" => Reply::raw(401, Some("Authentication failed!"), ""),
        "/nodes/pve/lxc/599/status/start" => Reply::raw(595, Some("No route to host"), ""),
        "/nodes/pve/lxc/999/status/start" => {
            Reply::data(serde_json::json!("UPID:pve:1")).delayed(Duration::from_secs(3))
        }
        "/nodes/pve/lxc" => Reply::raw(
            500,
            Some("CT 100 already exists on node 'pve'"),
            r#"{"data":null,"message":"CT 100 already exists on node 'pve'\n"}"#,
        ),
        _ => fixtures::not_implemented(rec),
    }
}

fn api(err: &Error) -> &berth_pve::ApiError {
    err.api()
        .unwrap_or_else(|| panic!("expected an API error, got {err:?}"))
}

#[tokio::test]
async fn bad_request_keeps_the_parameter_errors() {
    let server = TestServer::start(errors).await;
    let err = client_for(&server)
        .stop_lxc("pve", 400, true)
        .await
        .unwrap_err();
    let e = api(&err);
    assert_eq!((e.status, e.kind()), (400, ApiErrorKind::BadRequest));
    assert_eq!(e.reason, "Parameter verification failed.");
    assert!(e.errors["overrule-shutdown"].starts_with("property is not defined"));
    assert_eq!(err.retry(), Retry::No);
}

#[tokio::test]
async fn forbidden_names_the_permission() {
    let server = TestServer::start(errors).await;
    let err = client_for(&server).start_lxc("pve", 403).await.unwrap_err();
    assert_eq!(api(&err).kind(), ApiErrorKind::Forbidden);
    assert_eq!(api(&err).permission(), Some("/vms/403, VM.PowerMgmt"));
    assert_eq!(err.retry(), Retry::No);
}

#[tokio::test]
async fn server_error_text_comes_from_the_status_line() {
    let server = TestServer::start(errors).await;
    let c = client_for(&server);
    let err = c.start_lxc("pve", 500).await.unwrap_err();
    let e = api(&err);
    assert_eq!(e.kind(), ApiErrorKind::Server);
    assert_eq!(
        e.reason, "CT 500 already running",
        "custom reason phrase read"
    );
    assert_eq!(e.message, None);
    assert_eq!(err.retry(), Retry::MaybeApplied);

    let err = c
        .create_lxc("pve", &CreateLxc::new(100, fixtures::TEMPLATE))
        .await
        .unwrap_err();
    assert_eq!(
        api(&err).message.as_deref(),
        Some("CT 100 already exists on node 'pve'")
    );

    let err = c.start_lxc("pve", 599).await.unwrap_err();
    assert_eq!(api(&err).kind(), ApiErrorKind::NodeUnreachable);
    assert_eq!(api(&err).reason, "No route to host");
}

#[tokio::test]
async fn unauthorized_and_not_implemented() {
    let server = TestServer::start(errors).await;
    let c = client_for(&server);
    let err = c.start_lxc("pve", 401).await.unwrap_err();
    assert_eq!(api(&err).kind(), ApiErrorKind::Unauthorized);
    assert_eq!(api(&err).text(), "Authentication failed!");
    let err = c.version().await.unwrap_err();
    assert_eq!(api(&err).kind(), ApiErrorKind::NotImplemented);
    assert_eq!(api(&err).text(), "Method 'GET /version' not implemented");
}

#[tokio::test]
async fn timeout_after_sending_may_have_been_applied() {
    let server = TestServer::start(errors).await;
    let err = client_for(&server).start_lxc("pve", 999).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { sent: true, .. }), "{err:?}");
    assert_eq!(err.retry(), Retry::MaybeApplied);
    assert!(!err.is_retry_safe());
    assert_eq!(server.requests().len(), 1, "the request did arrive");
}

#[tokio::test]
async fn refused_connection_was_never_sent() {
    // A port that was just free: nothing listens there.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = PveClient::builder(format!("https://127.0.0.1:{port}"))
        .tls(TlsMode::DangerAcceptInvalid)
        .build()
        .unwrap();
    let err = c.version().await.unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert_eq!(err.retry(), Retry::Safe);
}
