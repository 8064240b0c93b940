//! TLS modes against a node certificate signed by a test cluster CA.

use crate::fixtures;
use crate::server::TestServer;
use berth_pve::{Credentials, Error, Fingerprint, PveClient, Retry, TlsMode};

fn client(server: &TestServer, tls: TlsMode) -> PveClient {
    PveClient::builder(server.url())
        .tls(tls)
        .credentials(Credentials::token(
            fixtures::TOKEN_ID,
            fixtures::TOKEN_SECRET,
        ))
        .build()
        .unwrap()
}

#[tokio::test]
async fn pinned_fingerprint_is_accepted_in_both_spellings() {
    let server = TestServer::start(fixtures::pve).await;
    let colons = server.certs.fingerprint.to_string();
    let plain = colons.replace(':', "").to_lowercase();
    for text in [colons, plain] {
        let c = client(&server, TlsMode::fingerprint(&text).unwrap());
        assert_eq!(c.version().await.unwrap().version, "9.2.11");
    }
}

#[tokio::test]
async fn wrong_fingerprint_is_rejected_clearly_and_nothing_was_sent() {
    let server = TestServer::start(fixtures::pve).await;
    let wrong = Fingerprint::of_der(b"some other certificate");
    let err = client(&server, TlsMode::Fingerprint(wrong))
        .version()
        .await
        .unwrap_err();
    let Error::Certificate { reason, .. } = &err else {
        panic!("expected a certificate error, got {err:?}");
    };
    assert!(reason.contains("fingerprint mismatch"), "{reason}");
    assert!(
        reason.contains(&server.certs.fingerprint.to_string()),
        "names what was presented"
    );
    assert_eq!(err.retry(), Retry::Safe);
    assert!(
        server.requests().is_empty(),
        "no request reached the server"
    );
}

#[tokio::test]
async fn ca_file_is_accepted() {
    let server = TestServer::start(fixtures::pve).await;
    let path = std::env::temp_dir().join(format!("berth-pve-ca-{}.pem", server.addr.port()));
    std::fs::write(&path, &server.certs.ca_pem).unwrap();
    let c = client(&server, TlsMode::ca_file(&path).unwrap());
    let result = c.version().await;
    std::fs::remove_file(&path).ok();
    assert_eq!(result.unwrap().release, "9.2");
}

#[tokio::test]
async fn system_roots_reject_a_self_signed_cluster() {
    let server = TestServer::start(fixtures::pve).await;
    let err = client(&server, TlsMode::SystemRoots)
        .version()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Certificate { .. }), "{err:?}");
    assert!(err.is_retry_safe());
}

#[tokio::test]
async fn insecure_mode_accepts_anything_only_when_asked() {
    let server = TestServer::start(fixtures::pve).await;
    let c = client(&server, TlsMode::DangerAcceptInvalid);
    assert!(c.version().await.is_ok());
}

#[test]
fn bad_ca_and_fingerprint_config_are_config_errors() {
    assert!(matches!(
        TlsMode::fingerprint("AA:BB"),
        Err(Error::Config(_))
    ));
    assert!(matches!(
        TlsMode::ca_file("/nonexistent/pve-root-ca.pem"),
        Err(Error::Config(_))
    ));
    let built = PveClient::builder("https://127.0.0.1:8006")
        .tls(TlsMode::CaPem(b"not a pem".to_vec()))
        .build();
    assert!(matches!(built, Err(Error::Config(_))));
}
