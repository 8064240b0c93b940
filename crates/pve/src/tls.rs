//! How the client trusts the server's certificate, and the rustls configuration built from it
//! (always the ring provider).

mod fingerprint;
mod verifier;

pub use fingerprint::{Fingerprint, FingerprintError};
pub use verifier::FingerprintMismatch;

use crate::error::Error;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls::{ClientConfig, RootCertStore};
use std::error::Error as StdError;
use std::path::Path;
use std::sync::Arc;

/// Which server certificates the client accepts.
#[derive(Debug, Clone)]
pub enum TlsMode {
    /// The operating system's trusted CAs (e.g. `/etc/ssl/certs`, or `SSL_CERT_FILE` /
    /// `SSL_CERT_DIR` when set), with host name checks. For nodes behind a certificate from a
    /// public CA (e.g. ACME) or from a company CA installed on the host.
    SystemRoots,
    /// Only these CA certificates (PEM), with host name checks; e.g. the cluster's
    /// `/etc/pve/pve-root-ca.pem`.
    CaPem(Vec<u8>),
    /// Exactly the certificate with this SHA-256 fingerprint; no chain or host name checks.
    Fingerprint(Fingerprint),
    /// Any certificate. Only for labs: a warning is logged when a client is built with it.
    DangerAcceptInvalid,
}

impl TlsMode {
    /// [`TlsMode::CaPem`] read from a file.
    pub fn ca_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        std::fs::read(path)
            .map(TlsMode::CaPem)
            .map_err(|e| Error::Config(format!("cannot read CA file {}: {e}", path.display())))
    }

    /// [`TlsMode::Fingerprint`] from `AA:BB:…` or plain hex.
    pub fn fingerprint(text: &str) -> Result<Self, Error> {
        text.parse()
            .map(TlsMode::Fingerprint)
            .map_err(|e: FingerprintError| Error::Config(e.to_string()))
    }
}

pub(crate) fn client_config(mode: &TlsMode) -> Result<ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let algorithms = provider.signature_verification_algorithms;
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("TLS setup: {e}")))?;
    let config = match mode {
        TlsMode::SystemRoots => builder
            .with_root_certificates(system_roots()?)
            .with_no_client_auth(),
        TlsMode::CaPem(pem) => {
            let mut roots = RootCertStore::empty();
            for cert in CertificateDer::pem_slice_iter(pem) {
                let cert = cert.map_err(|e| Error::Config(format!("bad CA PEM: {e}")))?;
                roots
                    .add(cert)
                    .map_err(|e| Error::Config(format!("bad CA certificate: {e}")))?;
            }
            if roots.is_empty() {
                return Err(Error::Config("the CA PEM holds no certificate".into()));
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
        TlsMode::Fingerprint(fp) => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier::PinnedVerifier::new(
                Some(*fp),
                algorithms,
            )))
            .with_no_client_auth(),
        TlsMode::DangerAcceptInvalid => {
            tracing::warn!(
                "PVE client built with TLS verification DISABLED: any certificate is accepted"
            );
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(verifier::PinnedVerifier::new(
                    None, algorithms,
                )))
                .with_no_client_auth()
        }
    };
    Ok(config)
}

/// The system's trust store. Unreadable files are skipped (as every TLS library does), but a
/// store with no usable certificate at all is a configuration error, not a silent "trust nothing".
fn system_roots() -> Result<RootCertStore, Error> {
    let found = rustls_native_certs::load_native_certs();
    let mut roots = RootCertStore::empty();
    let (added, _ignored) = roots.add_parsable_certificates(found.certs);
    if added == 0 {
        let why = found
            .errors
            .first()
            .map(|e| format!(": {e}"))
            .unwrap_or_default();
        return Err(Error::Config(format!(
            "no trusted CA certificates found in the system store (install ca-certificates, \
             or set a CA file or fingerprint){why}"
        )));
    }
    for error in &found.errors {
        tracing::debug!(%error, "skipped part of the system trust store");
    }
    Ok(roots)
}

/// If a connect error was a rejected certificate, a sentence saying why.
pub(crate) fn certificate_problem(err: &(dyn StdError + 'static)) -> Option<String> {
    let mut next = Some(err);
    while let Some(e) = next {
        // `io::Error::source` skips the error it wraps, so look inside explicitly.
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            && let Some(found) = certificate_problem(inner)
        {
            return Some(found);
        }
        if let Some(rustls::Error::InvalidCertificate(cert)) = e.downcast_ref::<rustls::Error>() {
            if let rustls::CertificateError::Other(other) = cert
                && let Some(m) = other.0.downcast_ref::<FingerprintMismatch>()
            {
                return Some(m.to_string());
            }
            return Some(format!("{cert:?}"));
        }
        next = e.source();
    }
    None
}
