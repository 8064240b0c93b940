//! `ClientBuilder`: where the API is, how to authenticate and trust it, and the limits.

use crate::auth::{Credentials, TicketPolicy};
use crate::client::PveClient;
use crate::error::Error;
use crate::tls::TlsMode;
use std::time::Duration;

/// Builds a [`PveClient`]. Defaults: 30 s per call, 10 s to connect, 4 concurrent calls per
/// node, task polling every second, public CA roots.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    pub(crate) base_url: String,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) tls: TlsMode,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) per_node_limit: usize,
    pub(crate) ticket_policy: TicketPolicy,
    pub(crate) task_poll_interval: Duration,
}

impl ClientBuilder {
    /// `base_url` is the node, e.g. `https://pve1.example.com:8006`; a trailing
    /// `/api2/json` is accepted too.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            credentials: None,
            tls: TlsMode::SystemRoots,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            per_node_limit: 4,
            ticket_policy: TicketPolicy::default(),
            task_poll_interval: Duration::from_secs(1),
        }
    }

    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    pub fn tls(mut self, tls: TlsMode) -> Self {
        self.tls = tls;
        self
    }

    /// Whole-call timeout (connect, send, answer, body).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Calls in flight at once per node (`/nodes/{node}/…`); at least 1.
    pub fn per_node_limit(mut self, limit: usize) -> Self {
        self.per_node_limit = limit;
        self
    }

    pub fn ticket_policy(mut self, policy: TicketPolicy) -> Self {
        self.ticket_policy = policy;
        self
    }

    /// How often `wait_task` asks for the task status.
    pub fn task_poll_interval(mut self, interval: Duration) -> Self {
        self.task_poll_interval = interval;
        self
    }

    pub fn build(self) -> Result<PveClient, Error> {
        PveClient::from_builder(self)
    }

    /// `https://host:8006/api2/json`, from what the user gave.
    pub(crate) fn api_base(&self) -> Result<String, Error> {
        let url = url::Url::parse(self.base_url.trim())
            .map_err(|e| Error::Config(format!("bad base URL {:?}: {e}", self.base_url)))?;
        if url.scheme() != "https" && url.scheme() != "http" {
            return Err(Error::Config(format!("base URL must be https: {url}")));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::Config(format!(
                "base URL has a query or fragment: {url}"
            )));
        }
        let text = url.as_str().trim_end_matches('/');
        let base = text.strip_suffix("/api2/json").unwrap_or(text);
        Ok(format!("{base}/api2/json"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_base_normalises() {
        for given in [
            "https://pve:8006",
            "https://pve:8006/",
            "https://pve:8006/api2/json",
            "https://pve:8006/api2/json/",
        ] {
            assert_eq!(
                ClientBuilder::new(given).api_base().unwrap(),
                "https://pve:8006/api2/json"
            );
        }
        assert!(ClientBuilder::new("pve:8006").api_base().is_err());
        assert!(
            ClientBuilder::new("https://pve:8006/?x=1")
                .api_base()
                .is_err()
        );
    }
}
