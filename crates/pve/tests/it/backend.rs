//! Something that speaks the PVE API for the contract tests: the fixture server here, and the
//! simulator (crates/pve-sim) in `sim.rs`; both run the same contracts.

use crate::fixtures;
use crate::server::TestServer;
use berth_pve::{Credentials, PveClient, TlsMode};

pub trait Backend {
    fn base_url(&self) -> String;
    fn tls(&self) -> TlsMode;
    fn credentials(&self) -> Credentials;
    /// A node that exists.
    fn node(&self) -> &str;
    /// A storage on that node that holds `vztmpl` content.
    fn template_storage(&self) -> &str;

    fn client(&self) -> PveClient {
        PveClient::builder(self.base_url())
            .tls(self.tls())
            .credentials(self.credentials())
            .build()
            .unwrap()
    }
}

/// The canned server of [`fixtures::pve`], pinned by fingerprint.
pub struct Fixture {
    pub server: TestServer,
}

impl Fixture {
    pub async fn start() -> Self {
        Self {
            server: TestServer::start(fixtures::pve).await,
        }
    }
}

impl Backend for Fixture {
    fn base_url(&self) -> String {
        self.server.url()
    }
    fn tls(&self) -> TlsMode {
        TlsMode::Fingerprint(self.server.certs.fingerprint)
    }
    fn credentials(&self) -> Credentials {
        Credentials::token(fixtures::TOKEN_ID, fixtures::TOKEN_SECRET)
    }
    fn node(&self) -> &str {
        fixtures::NODE
    }
    fn template_storage(&self) -> &str {
        "local"
    }
}
