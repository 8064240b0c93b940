//! The Proxmox VE API client built from configuration, and readiness' view of it.

use berth_health::ProxmoxProbe;
use berth_pve::PveClient;
use berth_runtime::config::ProxmoxConfig;
use std::future::Future;
use std::pin::Pin;

/// A client for the configured cluster (shared with the worker).
pub fn client(config: &ProxmoxConfig) -> anyhow::Result<PveClient> {
    berth_runtime::proxmox::client(config)
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
