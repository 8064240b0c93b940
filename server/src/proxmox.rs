//! The Proxmox VE API client built from configuration, and readiness' view of it.

use berth_health::ProxmoxProbe;
use berth_pve::{Credentials, PveClient, TlsMode};
use berth_runtime::config::{ProxmoxConfig, PveTls};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A client for the configured cluster. Errors here are configuration errors (a CA file that
/// cannot be read, a malformed pin), reported at start-up.
pub fn client(config: &ProxmoxConfig) -> anyhow::Result<PveClient> {
    let credentials = Credentials::parse_token(config.token.expose()).ok_or_else(|| {
        anyhow::anyhow!("BERTH_PVE_TOKEN: expected `user@realm!tokenid=<secret>`")
    })?;
    let tls = match &config.tls {
        PveTls::SystemRoots => TlsMode::SystemRoots,
        PveTls::CaFile(path) => TlsMode::ca_file(path)?,
        PveTls::Fingerprint(fingerprint) => TlsMode::fingerprint(fingerprint)?,
        PveTls::Insecure => TlsMode::DangerAcceptInvalid,
    };
    Ok(PveClient::builder(&config.url)
        .credentials(credentials)
        .tls(tls)
        .timeout(Duration::from_secs(10))
        .build()?)
}

/// Readiness asks for `GET /version`: cheap, and any authenticated user may call it.
#[derive(Debug)]
pub struct PveReadiness(pub PveClient);

impl ProxmoxProbe for PveReadiness {
    fn version(&self) -> Pin<Box<dyn Future<Output = Result<String, String>> + Send + '_>> {
        Box::pin(async move {
            self.0
                .version()
                .await
                .map(|info| info.version)
                .map_err(|e| e.to_string())
        })
    }
}
