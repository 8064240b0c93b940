//! The self-signed certificate: a `pve-root-ca`-like CA and a node certificate signed by it.

use std::sync::Arc;

use anyhow::Context as _;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// The certificate as the state file keeps it, so a restart serves the same fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredTls {
    pub names: Vec<String>,
    pub cert_pem: String,
    pub key_pem: String,
    pub ca_pem: String,
}

/// What the server needs, and what clients may pin.
#[derive(Debug)]
pub struct TlsMaterial {
    pub stored: StoredTls,
    pub config: Arc<rustls::ServerConfig>,
    /// SHA-256 of the node certificate, `AA:BB:…` as PVE shows it.
    pub fingerprint: String,
    pub ca_pem: String,
}

pub fn fingerprint(der: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, der)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Reuses a stored certificate when it was made for the same names, else generates one.
pub fn load_or_generate(
    stored: Option<&StoredTls>,
    names: Vec<String>,
) -> anyhow::Result<TlsMaterial> {
    match stored.filter(|s| s.names == names) {
        Some(s) => from_stored(s.clone()),
        None => generate(names),
    }
}

fn from_stored(stored: StoredTls) -> anyhow::Result<TlsMaterial> {
    use rustls::pki_types::pem::PemObject as _;
    let cert =
        CertificateDer::from_pem_slice(stored.cert_pem.as_bytes()).context("stored certificate")?;
    let ca = CertificateDer::from_pem_slice(stored.ca_pem.as_bytes()).context("stored CA")?;
    let key = PrivateKeyDer::from_pem_slice(stored.key_pem.as_bytes()).context("stored key")?;
    let fingerprint = fingerprint(&cert);
    let config = server_config(vec![cert, ca], key)?;
    Ok(TlsMaterial {
        fingerprint,
        ca_pem: stored.ca_pem.clone(),
        config,
        stored,
    })
}

fn server_config(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> anyhow::Result<Arc<rustls::ServerConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS versions")?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .context("TLS certificate")?;
    // pveproxy speaks HTTP/1.1 only.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Generates a fresh CA and node certificate valid for `names` (host names and IP literals).
fn generate(names: Vec<String>) -> anyhow::Result<TlsMaterial> {
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "Proxmox Virtual Environment");
    ca_params
        .distinguished_name
        .push(DnType::OrganizationName, "PVE Cluster Manager CA");
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().context("CA key")?;
    let ca = ca_params.self_signed(&ca_key).context("CA certificate")?;

    let mut params = CertificateParams::new(names.clone()).context("certificate names")?;
    params
        .distinguished_name
        .push(DnType::CommonName, "pve1.berth-sim");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "PVE Cluster Node");
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    let key = KeyPair::generate().context("node key")?;
    let cert = params
        .signed_by(&key, &ca, &ca_key)
        .context("node certificate")?;

    let chain = vec![cert.der().clone(), CertificateDer::from(ca.der().to_vec())];
    let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    Ok(TlsMaterial {
        config: server_config(chain, key_der)?,
        fingerprint: fingerprint(cert.der()),
        ca_pem: ca.pem(),
        stored: StoredTls {
            names,
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
            ca_pem: ca.pem(),
        },
    })
}
