//! Token header; ticket login, cookie, CSRF on writes, renewal with the ticket as password,
//! re-login after expiry, TFA, failed login; secrets absent from Debug output.

use crate::fixtures;
use crate::server::{Recorded, Reply, TestServer};
use berth_pve::types::CreateLxc;
use berth_pve::{ApiErrorKind, Credentials, Error, PveClient, TicketPolicy, TlsMode};
use serde_json::json;
use std::sync::Mutex;
use std::time::Duration;

const PASSWORD: &str = "correct horse battery";

fn ticket(n: usize) -> String {
    format!("PVE:alice@pve:4EEC61E{n}::rsKoApxDTLYPn6H3NNT6iP2mv+/sig{n}==")
}
fn csrf(n: usize) -> String {
    format!("4EEC61E{n}:Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg{n}")
}

/// A server that issues tickets 1, 2, 3… and checks cookie and CSRF like `HTTPServer.pm`.
fn ticket_server() -> impl Fn(&Recorded) -> Reply + Send + Sync + 'static {
    let issued = Mutex::new(0usize);
    move |rec: &Recorded| {
        if rec.path == "/access/ticket" && rec.method == "POST" {
            let p = rec.params();
            let user = p.get("username").map(String::as_str);
            let pw = p.get("password").map(String::as_str).unwrap_or("");
            let mut n = issued.lock().unwrap();
            let valid_ticket = (1..=*n).any(|i| ticket(i) == pw);
            return match user {
                Some("tfa@pve") if pw == PASSWORD => Reply::data(json!({
                    "username":"tfa@pve","NeedTFA":1,"CSRFPreventionToken":csrf(0),
                    "ticket":"PVE:!tfa!%7B%22totp%22%3Atrue%7D:4EEC61E2::sig"})),
                Some("alice@pve") if pw == PASSWORD || valid_ticket => {
                    *n += 1;
                    Reply::data(json!({"username":"alice@pve","ticket":ticket(*n),
                        "CSRFPreventionToken":csrf(*n),"cap":{"vms":{"VM.Audit":1}}}))
                }
                _ => Reply::raw(
                    401,
                    Some("authentication failure"),
                    r#"{"data":null,"message":"authentication failure\n"}"#,
                ),
            };
        }
        let n = *issued.lock().unwrap();
        let cookie = rec.header("cookie").unwrap_or("");
        let Some(value) = cookie.strip_prefix("PVEAuthCookie=") else {
            return Reply::raw(401, Some("No ticket"), "");
        };
        let value = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
        let Some(i) = (1..=n).find(|i| ticket(*i) == value) else {
            return Reply::raw(401, Some("Authentication failed!"), "");
        };
        if rec.method != "GET" && rec.header("csrfpreventiontoken") != Some(&csrf(i)) {
            return Reply::raw(401, Some("Permission denied - invalid csrf token"), "");
        }
        match rec.path.as_str() {
            "/version" => {
                Reply::data(json!({"version":"8.4.1","release":"8.4","repoid":"2a5fa54a8503f96d"}))
            }
            "/nodes/pve/lxc" => Reply::data(json!(fixtures::UPID_CREATE)),
            _ => fixtures::not_implemented(rec),
        }
    }
}

fn password_client(server: &TestServer, user: &str, pw: &str, policy: TicketPolicy) -> PveClient {
    PveClient::builder(server.url())
        .tls(TlsMode::Fingerprint(server.certs.fingerprint))
        .credentials(Credentials::password(user, pw))
        .ticket_policy(policy)
        .build()
        .unwrap()
}

fn logins(server: &TestServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .filter(|r| r.path == "/access/ticket")
        .map(|r| r.params().get("password").cloned().unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn token_header_and_no_csrf() {
    let server = TestServer::start(fixtures::pve).await;
    let client = PveClient::builder(server.url())
        .tls(TlsMode::Fingerprint(server.certs.fingerprint))
        .credentials(Credentials::token(
            fixtures::TOKEN_ID,
            fixtures::TOKEN_SECRET,
        ))
        .build()
        .unwrap();
    client.version().await.unwrap();
    client
        .create_lxc("pve", &CreateLxc::new(100, fixtures::TEMPLATE))
        .await
        .unwrap();
    for r in server.requests() {
        assert_eq!(
            r.header("authorization"),
            Some("PVEAPIToken=dash@pve!prov=0b5ee0a8-4d40-4c4e-9c8e-0123456789ab")
        );
        assert_eq!(r.header("csrfpreventiontoken"), None);
        assert_eq!(r.header("cookie"), None);
    }
    assert!(!format!("{client:?}").contains(fixtures::TOKEN_SECRET));
}

#[tokio::test]
async fn ticket_login_cookie_and_csrf_on_writes() {
    let server = TestServer::start(ticket_server()).await;
    let client = password_client(&server, "alice@pve", PASSWORD, TicketPolicy::default());
    client.version().await.unwrap();
    client
        .create_lxc("pve", &CreateLxc::new(100, fixtures::TEMPLATE))
        .await
        .unwrap();
    assert_eq!(
        logins(&server),
        vec![PASSWORD.to_owned()],
        "one login, reused"
    );
    let reqs = server.requests();
    let get = reqs.iter().find(|r| r.path == "/version").unwrap();
    assert_eq!(
        get.header("csrfpreventiontoken"),
        None,
        "no CSRF header on GET"
    );
    let post = reqs.iter().find(|r| r.path == "/nodes/pve/lxc").unwrap();
    assert_eq!(post.header("csrfpreventiontoken"), Some(csrf(1).as_str()));
    let debug = format!("{client:?}");
    assert!(
        !debug.contains(PASSWORD) && !debug.contains("sig1"),
        "{debug}"
    );
}

#[tokio::test]
async fn ticket_is_renewed_with_itself_as_password() {
    let server = TestServer::start(ticket_server()).await;
    // Every call falls in the renewal window.
    let policy = TicketPolicy {
        refresh_after: Duration::ZERO,
        expire_after: Duration::from_secs(7200),
    };
    let client = password_client(&server, "alice@pve", PASSWORD, policy);
    client.version().await.unwrap();
    client
        .create_lxc("pve", &CreateLxc::new(100, fixtures::TEMPLATE))
        .await
        .unwrap();
    // The renewed ticket's CSRF token was used on the write.
    let post = server
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path == "/nodes/pve/lxc");
    assert_eq!(
        post.unwrap().header("csrfpreventiontoken"),
        Some(csrf(2).as_str())
    );
    assert_eq!(logins(&server), vec![PASSWORD.to_owned(), ticket(1)]);
}

#[tokio::test]
async fn expired_ticket_means_a_password_login() {
    let server = TestServer::start(ticket_server()).await;
    let policy = TicketPolicy {
        refresh_after: Duration::ZERO,
        expire_after: Duration::ZERO,
    };
    let client = password_client(&server, "alice@pve", PASSWORD, policy);
    client.version().await.unwrap();
    client.version().await.unwrap();
    assert_eq!(
        logins(&server),
        vec![PASSWORD.to_owned(), PASSWORD.to_owned()]
    );
}

#[tokio::test]
async fn tfa_and_bad_password_are_reported() {
    let server = TestServer::start(ticket_server()).await;
    let tfa = password_client(&server, "tfa@pve", PASSWORD, TicketPolicy::default());
    let err = tfa.authenticate().await.unwrap_err();
    assert!(matches!(err, Error::NeedTfa { .. }), "{err:?}");
    assert!(err.to_string().contains("second factor"));

    let bad = password_client(&server, "alice@pve", "wrong", TicketPolicy::default());
    let err = bad.version().await.unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.kind(), ApiErrorKind::Unauthorized);
    assert_eq!(api.text(), "authentication failure");
    assert!(!err.to_string().contains("wrong"));
}
