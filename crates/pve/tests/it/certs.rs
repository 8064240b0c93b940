//! Test certificates made with rcgen: a cluster CA (like `pve-root-ca.pem`) and a node
//! certificate it signs (like `pve-ssl.pem`), valid for 127.0.0.1 and localhost.

use berth_pve::Fingerprint;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

pub struct Certs {
    pub ca_pem: String,
    pub chain: Vec<CertificateDer<'static>>,
    pub key_der: Vec<u8>,
    /// SHA-256 of the node certificate, as `GET /nodes` would report it.
    pub fingerprint: Fingerprint,
}

impl Certs {
    pub fn generate() -> Self {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "Proxmox Virtual Environment");
        let ca = ca_params.self_signed(&ca_key).unwrap();

        let key = KeyPair::generate().unwrap();
        let mut params =
            CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
        params.distinguished_name.push(DnType::CommonName, "pve");
        let leaf = params.signed_by(&key, &ca, &ca_key).unwrap();

        Self {
            ca_pem: ca.pem(),
            fingerprint: Fingerprint::of_der(leaf.der()),
            chain: vec![leaf.der().clone(), ca.der().clone()],
            key_der: key.serialize_der(),
        }
    }

    pub fn private_key(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone()))
    }
}
