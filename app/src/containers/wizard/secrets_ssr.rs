//! What a run may keep of the operator's secrets: the root password only as its SHA-512 crypt
//! hash, which the pipeline sets with `chpasswd -e`. The plain text leaves the server's memory
//! with the request.

use crate::AppError;
use berth_domain::container::ContainerSpec;
use sha_crypt::{PasswordHasher, ShaCrypt};

/// The spec without its password, and the run's `secrets` JSON (`{}` without a password).
pub fn seal(mut spec: ContainerSpec) -> Result<(ContainerSpec, serde_json::Value), AppError> {
    let Some(password) = spec.access.root_password.take() else {
        return Ok((spec, serde_json::json!({})));
    };
    let hash = ShaCrypt::default()
        .hash_password(password.expose().as_bytes())
        // The error never holds the password; it only says the hasher or the RNG failed.
        .map_err(|error| AppError::internal(format!("cannot hash the root password: {error}")))?;
    Ok((
        spec,
        serde_json::json!({ "root_password_hash": hash.as_str() }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_domain::container::Secret;
    use berth_domain::template::TemplateSpec;
    use sha_crypt::PasswordVerifier;

    #[test]
    fn only_a_verifiable_sha512_crypt_hash_is_kept() {
        let mut spec = ContainerSpec::from_template(&TemplateSpec::blank(), 1);
        spec.access.root_password = Some(Secret::new("correct horse"));
        let (sealed, secrets) = seal(spec).unwrap();
        assert!(sealed.access.root_password.is_none());
        let hash = secrets["root_password_hash"].as_str().unwrap();
        assert!(hash.starts_with("$6$"), "{hash}");
        assert!(!secrets.to_string().contains("correct horse"));
        ShaCrypt::default()
            .verify_password(b"correct horse", hash)
            .unwrap();
        assert!(
            ShaCrypt::default()
                .verify_password(b"wrong horse", hash)
                .is_err()
        );
    }

    #[test]
    fn no_password_keeps_nothing() {
        let spec = ContainerSpec::from_template(&TemplateSpec::blank(), 1);
        let (_, secrets) = seal(spec).unwrap();
        assert_eq!(secrets, serde_json::json!({}));
    }
}
