//! Where the Proxmox VE API is and how to trust and authenticate to it.

use super::catalog::{PVE_CA_FILE, PVE_FINGERPRINT, PVE_INSECURE, PVE_TOKEN, PVE_URL};
use super::{ConfigError, Source};
use crate::Secret;
use std::path::PathBuf;
use url::Url;

/// How the node's certificate is verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PveTls {
    /// The system's (web PKI) roots.
    SystemRoots,
    /// A PEM file with the CA, e.g. the cluster's `pve-root-ca.pem`.
    CaFile(PathBuf),
    /// The SHA-256 fingerprint of the node's certificate, as `GET /nodes` shows it.
    Fingerprint(String),
    /// No verification at all (tests and emergencies only).
    Insecure,
}

#[derive(Debug, Clone)]
pub struct ProxmoxConfig {
    /// The node's base URL, e.g. `https://pve1:8006` (the client appends `/api2/json`).
    pub url: String,
    /// `user@realm!tokenid=<secret>`.
    pub token: Secret<String>,
    pub tls: PveTls,
}

impl ProxmoxConfig {
    /// `None` when `BERTH_PVE_URL` is empty: Berth then runs without a Proxmox backend.
    pub fn from_source(source: &Source) -> Result<Option<Self>, ConfigError> {
        let url = source.get(&PVE_URL, parse_url)?;
        let token = source.get(&PVE_TOKEN, parse_token)?;
        let fingerprint = source.get(&PVE_FINGERPRINT, parse_fingerprint)?;
        let ca_file = source.get(&PVE_CA_FILE, |v| Ok(v.to_string()))?;
        let insecure = source.get(&PVE_INSECURE, parse_bool)?;
        let Some(url) = url else {
            return Ok(None);
        };
        let token = token.ok_or(ConfigError::Missing {
            env: PVE_TOKEN.env,
            key: PVE_TOKEN.key,
            expected: PVE_TOKEN.expected,
        })?;
        let tls = match (fingerprint, ca_file.is_empty(), insecure) {
            (Some(fingerprint), true, false) => PveTls::Fingerprint(fingerprint),
            (None, false, false) => PveTls::CaFile(PathBuf::from(ca_file)),
            (None, true, false) => PveTls::SystemRoots,
            (None, true, true) => PveTls::Insecure,
            _ => {
                return Err(ConfigError::Conflict {
                    settings: "BERTH_PVE_FINGERPRINT, BERTH_PVE_CA_FILE and BERTH_PVE_INSECURE",
                    expected: "at most one of them",
                });
            }
        };
        Ok(Some(ProxmoxConfig { url, token, tls }))
    }
}

fn parse_url(value: &str) -> Result<Option<String>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    let url = Url::parse(value).map_err(|_| PVE_URL.expected.to_string())?;
    if url.scheme() != "https" || url.host_str().is_none_or(str::is_empty) {
        return Err(format!(
            "{} (Proxmox VE serves its API over https only)",
            PVE_URL.expected
        ));
    }
    Ok(Some(value.trim_end_matches('/').to_string()))
}

fn parse_token(value: &str) -> Result<Option<Secret<String>>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    // The token id is everything before the last `=`, and it names user, realm and token.
    let well_formed = value.rsplit_once('=').is_some_and(|(id, secret)| {
        !secret.is_empty()
            && id
                .split_once('!')
                .is_some_and(|(user, token)| user.contains('@') && !token.is_empty())
    });
    if well_formed {
        Ok(Some(Secret::new(value.to_string())))
    } else {
        Err(PVE_TOKEN.expected.to_string())
    }
}

fn parse_fingerprint(value: &str) -> Result<Option<String>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    let hex: String = value.chars().filter(|c| *c != ':').collect();
    if hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(Some(value.to_string()))
    } else {
        Err(PVE_FINGERPRINT.expected.to_string())
    }
}

fn parse_bool(value: &str) -> Result<bool, String> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(PVE_INSECURE.expected.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "berth@pve!provision=0b5ee0a8-9b8a-4b46-a3a6-6a4c0d1ad0c1";

    fn load(pairs: &[(&'static str, &'static str)]) -> Result<Option<ProxmoxConfig>, String> {
        ProxmoxConfig::from_source(&Source::from_env_pairs(pairs.to_vec()))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn unset_means_not_configured() {
        assert!(load(&[]).unwrap().is_none());
    }

    #[test]
    fn a_token_and_a_pin() {
        let fp = "AB:".repeat(31) + "AB";
        let fp: &'static str = Box::leak(fp.into_boxed_str());
        let config = load(&[
            ("BERTH_PVE_URL", "https://pve1:8006/"),
            ("BERTH_PVE_TOKEN", TOKEN),
            ("BERTH_PVE_FINGERPRINT", fp),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(config.url, "https://pve1:8006");
        assert_eq!(config.tls, PveTls::Fingerprint(fp.to_string()));
        assert!(
            !format!("{config:?}").contains("0b5ee0a8"),
            "the token is redacted"
        );
    }

    #[test]
    fn errors_name_the_variable_and_hide_the_token() {
        let err = load(&[("BERTH_PVE_URL", "https://pve1:8006")]).unwrap_err();
        assert!(err.starts_with("BERTH_PVE_TOKEN is not set"), "{err}");
        let err = load(&[
            ("BERTH_PVE_URL", "http://pve1:8006"),
            ("BERTH_PVE_TOKEN", TOKEN),
        ])
        .unwrap_err();
        assert!(err.contains("https only"), "{err}");
        let err = load(&[
            ("BERTH_PVE_URL", "https://pve1:8006"),
            ("BERTH_PVE_TOKEN", "root@pam:hunter2"),
        ])
        .unwrap_err();
        assert!(
            err.starts_with("BERTH_PVE_TOKEN: expected an API token"),
            "{err}"
        );
        assert!(!err.contains("hunter2"), "{err}");
        let err = load(&[
            ("BERTH_PVE_URL", "https://pve1:8006"),
            ("BERTH_PVE_TOKEN", TOKEN),
            ("BERTH_PVE_FINGERPRINT", "AB:CD"),
        ])
        .unwrap_err();
        assert!(err.starts_with("BERTH_PVE_FINGERPRINT: expected"), "{err}");
        let err = load(&[
            ("BERTH_PVE_URL", "https://pve1:8006"),
            ("BERTH_PVE_TOKEN", TOKEN),
            ("BERTH_PVE_CA_FILE", "/etc/pve/pve-root-ca.pem"),
            ("BERTH_PVE_INSECURE", "true"),
        ])
        .unwrap_err();
        assert!(err.contains("at most one"), "{err}");
    }
}
