//! One provider at run time: its settings, the metadata discovered from its issuer (cached), and
//! the `openidconnect` client made from them.

use super::config::ProviderConfig;
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata,
    CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, Client, ClientId, ClientSecret, EmptyExtraTokenFields, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl, RedirectUrl, StandardErrorResponse,
    StandardTokenResponse, reqwest,
};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Discovered metadata (with the signing keys) is reused for this long, then fetched again so
/// rotated keys are picked up.
const METADATA_TTL: Duration = Duration::from_secs(15 * 60);

/// Claims beyond the standard ones, kept as JSON: the groups claim's name is configurable.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtraClaims {
    #[serde(flatten)]
    pub rest: serde_json::Map<String, serde_json::Value>,
}

impl AdditionalClaims for ExtraClaims {}

impl ExtraClaims {
    /// The claim as a list of strings: a JSON array of strings, or one string.
    pub fn strings(&self, name: &str) -> Vec<String> {
        match self.rest.get(name) {
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            Some(serde_json::Value::String(one)) => vec![one.clone()],
            _ => Vec::new(),
        }
    }
}

type TokenFields = IdTokenFields<
    ExtraClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
pub type TokenResponse = StandardTokenResponse<TokenFields, CoreTokenType>;

/// `CoreClient` with [`ExtraClaims`], as made from discovered metadata.
pub type OidcClient = Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    TokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

#[derive(Debug)]
pub struct Provider {
    pub config: ProviderConfig,
    cache: Mutex<Option<(Instant, OidcClient)>>,
}

impl Provider {
    pub fn new(config: ProviderConfig) -> Self {
        Self {
            config,
            cache: Mutex::new(None),
        }
    }

    /// The client, from cached metadata or a fresh discovery. Discovery insists that the metadata
    /// names exactly the configured issuer.
    pub async fn client(&self, http: &reqwest::Client) -> anyhow::Result<OidcClient> {
        let mut cache = self.cache.lock().await;
        if let Some((fetched, client)) = cache.as_ref()
            && fetched.elapsed() < METADATA_TTL
        {
            return Ok(client.clone());
        }
        let issuer = IssuerUrl::new(self.config.issuer.clone())?;
        let metadata = CoreProviderMetadata::discover_async(issuer, http)
            .await
            .map_err(|e| anyhow::anyhow!("discovery failed: {}", error_chain(&e)))?;
        let client = OidcClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            self.config
                .client_secret
                .as_ref()
                .map(|s| ClientSecret::new(s.expose().clone())),
        )
        .set_redirect_uri(RedirectUrl::new(self.config.redirect_url.clone())?);
        *cache = Some((Instant::now(), client.clone()));
        Ok(client)
    }

    /// Forgets the metadata (e.g. after a token signed with a key it does not know).
    pub async fn forget_metadata(&self) {
        *self.cache.lock().await = None;
    }
}

/// The HTTP client for discovery and the token endpoint: no redirects (SSRF), short timeouts.
pub fn http_client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(10))
        .build()?)
}

/// An error and its sources on one line (the messages never include tokens).
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}
