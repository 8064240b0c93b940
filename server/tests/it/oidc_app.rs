//! Berth with OIDC providers pointed at a fresh test provider, and requests through its routes.

use crate::oidc_idp::{self, Idp, IdpBrowser};
use crate::support::{self, ORIGIN, Setup, TestApp};
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, Response};
use berth_db::audit::{self, AuditFilter};
use berth_runtime::config::Source;
use berth_server::oidc::Oidc;
use std::net::SocketAddr;
use tower::ServiceExt;

const SECRET: &str = "test-client-secret";

pub struct Sso {
    pub app: TestApp,
    pub router: axum::Router,
    pub idp: Idp,
}

fn redirect(provider: &str) -> String {
    format!("{ORIGIN}/auth/oidc/{provider}/callback")
}

/// Berth with providers `test` (client `berth`, groups mapped) and `wrongaud` (a client whose ID
/// tokens name another audience), plus any extra settings.
pub async fn sso(extra: &[(&'static str, String)]) -> Sso {
    let idp = oidc_idp::start(&[
        ("berth", SECRET, &redirect("test"), false),
        ("berth-wrongaud", SECRET, &redirect("wrongaud"), true),
    ]);
    let mut env: Vec<(&str, String)> = vec![
        ("BERTH_OIDC_PROVIDERS", "test,wrongaud".into()),
        ("BERTH_OIDC_TEST_ISSUER", idp.issuer.clone()),
        ("BERTH_OIDC_TEST_CLIENT_ID", "berth".into()),
        ("BERTH_OIDC_TEST_CLIENT_SECRET", SECRET.into()),
        ("BERTH_OIDC_TEST_LABEL", "Test IdP".into()),
        (
            "BERTH_OIDC_TEST_SCOPES",
            "openid profile email groups".into(),
        ),
        (
            "BERTH_OIDC_TEST_ROLE_MAP",
            "berth-admins=admin,berth-ops=operator".into(),
        ),
        ("BERTH_OIDC_WRONGAUD_ISSUER", idp.issuer.clone()),
        ("BERTH_OIDC_WRONGAUD_CLIENT_ID", "berth-wrongaud".into()),
        ("BERTH_OIDC_WRONGAUD_CLIENT_SECRET", SECRET.into()),
    ];
    env.extend(extra.iter().cloned());
    let providers =
        berth_server::oidc::config::providers(&Source::from_env_pairs(env), ORIGIN).unwrap();
    let app = support::app(Setup::default()).await;
    let redis = support::redis(&berth_testkit::redis_url()).await;
    let oidc = Oidc::new(providers, redis, app.auth.clone()).unwrap();
    let router = berth_server::oidc::routes(oidc)
        .layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    Sso { app, router, idp }
}

pub struct Answer {
    pub status: u16,
    pub location: String,
    pub cookies: Vec<String>,
}

impl Sso {
    pub async fn get(&self, path: &str, cookie: &str) -> Answer {
        let request = Request::get(path)
            .header("cookie", cookie)
            .body(Body::empty())
            .unwrap();
        // Bounded: Berth's own calls to the provider time out after 10 s, so this never should.
        let response: Response<Body> = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            self.router.clone().oneshot(request),
        )
        .await
        .unwrap_or_else(|_| panic!("Berth did not answer {path} within 30 s"))
        .unwrap();
        let header = |name| {
            response
                .headers()
                .get_all(name)
                .iter()
                .map(|v| v.to_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        Answer {
            status: response.status().as_u16(),
            location: header("location").join(""),
            cookies: header("set-cookie"),
        }
    }

    /// `/start`, the provider's sign-in as `login`: the callback path and the flow cookie.
    pub async fn through_provider(&self, provider: &str, login: &str) -> (String, String) {
        let start = self
            .get(&format!("/auth/oidc/{provider}/start?next=/jobs"), "")
            .await;
        assert_eq!(start.status, 303);
        let flow = start.cookies[0].split(';').next().unwrap().to_string();
        assert!(flow.starts_with("berth_oidc_flow="), "{flow}");
        assert!(
            start.cookies[0].contains("HttpOnly; SameSite=Lax"),
            "{}",
            start.cookies[0]
        );
        for param in [
            "code_challenge_method=S256",
            "state=",
            "nonce=",
            "code_challenge=",
        ] {
            assert!(
                start.location.contains(param),
                "{param} in {}",
                start.location
            );
        }
        let back = IdpBrowser::default().sign_in(&start.location, login).await;
        let path = back
            .strip_prefix(ORIGIN)
            .expect("back to Berth")
            .to_string();
        (path, flow)
    }

    pub async fn session_cookie(&self, answer: &Answer) -> Option<String> {
        let name = format!("{}=", self.app.auth.cookie.name());
        answer
            .cookies
            .iter()
            .find(|c| c.starts_with(&name) && !c.contains("Max-Age=0"))
            .map(|c| c.split(';').next().unwrap().to_string())
    }

    pub async fn last_reason(&self) -> String {
        let mut conn = self.app.pool.get().await.unwrap();
        let filter = AuditFilter {
            action: Some("login_failed".into()),
            ..Default::default()
        };
        let page = audit::list(&mut conn, &filter, berth_db::Page::new(1, 0))
            .await
            .unwrap();
        page.entries[0].details["reason"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub async fn expect_refused(&self, answer: &Answer, reason: &str) {
        assert_eq!(
            (answer.status, answer.location.as_str()),
            (303, "/login?error=sso")
        );
        assert_eq!(self.session_cookie(answer).await, None);
        let logged = self.last_reason().await;
        assert!(
            logged.contains(reason),
            "audited reason {logged:?}, expected {reason:?}"
        );
    }
}
