//! The Proxmox VE API client both processes build from their configuration.

use crate::config::{ProxmoxConfig, PveTls};
use berth_pve::{Credentials, PveClient, TlsMode};
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
