//! A rustls verifier that trusts exactly one certificate by its SHA-256 fingerprint (or, when
//! explicitly asked for, any certificate). Handshake signatures are still checked, so the
//! server must hold the key of the certificate it presents.

use super::fingerprint::Fingerprint;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{WebPkiSupportedAlgorithms, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, OtherError, SignatureScheme};
use std::sync::Arc;

/// The certificate presented is not the pinned one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("certificate fingerprint mismatch: pinned {expected}, server presented {presented}")]
pub struct FingerprintMismatch {
    pub expected: Fingerprint,
    pub presented: Fingerprint,
}

#[derive(Debug)]
pub(crate) struct PinnedVerifier {
    /// `None` accepts any certificate (the explicit insecure mode).
    expected: Option<Fingerprint>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl PinnedVerifier {
    pub(crate) fn new(
        expected: Option<Fingerprint>,
        algorithms: WebPkiSupportedAlgorithms,
    ) -> Self {
        Self {
            expected,
            algorithms,
        }
    }
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let presented = Fingerprint::of_der(end_entity.as_ref());
        match self.expected {
            // The pin replaces chain and host name checks: PVE nodes use self-signed certs.
            Some(expected) if expected == presented => Ok(ServerCertVerified::assertion()),
            Some(expected) => Err(rustls::Error::InvalidCertificate(CertificateError::Other(
                OtherError(Arc::new(FingerprintMismatch {
                    expected,
                    presented,
                })),
            ))),
            None => {
                tracing::debug!(%presented, "accepting an unverified certificate (insecure mode)");
                Ok(ServerCertVerified::assertion())
            }
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
