//! OpenID Connect single sign-on: the authorization-code flow with PKCE (S256), `state` and
//! `nonce`, against each configured provider (`BERTH_OIDC_PROVIDERS`). `GET
//! /auth/oidc/{provider}/start` sends the browser to the provider; `GET …/callback` checks what
//! comes back, verifies the ID token (signature, exact issuer, audience, expiry, nonce), finds or
//! creates the user by issuer + subject, and opens a Berth session like local sign-in does.
//! Tokens never leave the server: they are dropped once the claims are read.

mod account;
pub mod config;
mod flow;
mod provider;
mod respond;
mod routes;

pub use config::{ProviderConfig, RoleMapping};
pub use routes::routes;

use crate::auth::AuthServices;
use app::auth::{SsoProvider, SsoProviders};
use flow::FlowStore;
use fred::prelude::Client as RedisClient;
use provider::Provider;
use std::sync::Arc;

/// The configured providers and what their routes need. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Oidc {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    providers: Vec<Provider>,
    flows: FlowStore,
    http: openidconnect::reqwest::Client,
    auth: AuthServices,
}

impl Oidc {
    /// Pending sign-ins live in `redis` under the sessions' key prefix. No network access here:
    /// each provider's metadata is discovered at its first use (and cached).
    pub fn new(
        providers: Vec<ProviderConfig>,
        redis: RedisClient,
        auth: AuthServices,
    ) -> anyhow::Result<Self> {
        let flows = FlowStore::new(redis, &auth.sessions.config().prefix, auth.cookie);
        Ok(Self {
            inner: Arc::new(Inner {
                providers: providers.into_iter().map(Provider::new).collect(),
                flows,
                http: provider::http_client()?,
                auth,
            }),
        })
    }

    /// The providers' ids and labels, in configured order, for the login page.
    pub fn login_providers(&self) -> SsoProviders {
        SsoProviders(Arc::new(
            self.inner
                .providers
                .iter()
                .map(|p| SsoProvider {
                    id: p.config.id.clone(),
                    label: p.config.label.clone(),
                })
                .collect(),
        ))
    }

    fn provider(&self, id: &str) -> Option<&Provider> {
        self.inner.providers.iter().find(|p| p.config.id == id)
    }
}
