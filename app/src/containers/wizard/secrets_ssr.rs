//! What a run may keep of the operator's secrets, apart from its spec: the root password only
//! as its SHA-512 crypt hash, which the pipeline sets with `chpasswd -e` (the plain text leaves
//! the server's memory with the request), and the values of the template's secret inputs, which
//! its scripts need as they are, until the run succeeds (`runs::finish` drops them then).

use crate::AppError;
use berth_domain::container::ContainerSpec;
use berth_domain::template::{InputKind, TemplateSpec};
use sha_crypt::{PasswordHasher, ShaCrypt};

/// The spec without its password and secret input values, and the run's `secrets` JSON
/// (`root_password_hash`, `inputs`; `{}` when there are none).
pub fn seal(
    mut spec: ContainerSpec,
    template: &TemplateSpec,
) -> Result<(ContainerSpec, serde_json::Value), AppError> {
    let mut secrets = serde_json::Map::new();
    if let Some(password) = spec.access.root_password.take() {
        let hash = ShaCrypt::default()
            .hash_password(password.expose().as_bytes())
            // The error never holds the password; it only says the hasher or the RNG failed.
            .map_err(|error| {
                AppError::internal(format!("cannot hash the root password: {error}"))
            })?;
        secrets.insert("root_password_hash".into(), hash.as_str().into());
    }
    let inputs: serde_json::Map<String, serde_json::Value> = template
        .inputs
        .iter()
        .filter(|input| input.kind == InputKind::Secret)
        .filter_map(|input| {
            let value = spec.inputs.remove(&input.name)?;
            Some((input.name.clone(), value.into()))
        })
        .collect();
    if !inputs.is_empty() {
        secrets.insert("inputs".into(), inputs.into());
    }
    Ok((spec, secrets.into()))
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
        let (sealed, secrets) = seal(spec, &TemplateSpec::blank()).unwrap();
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
        let (_, secrets) = seal(spec, &TemplateSpec::blank()).unwrap();
        assert_eq!(secrets, serde_json::json!({}));
    }

    #[test]
    fn secret_inputs_move_out_of_the_spec_and_the_others_stay() {
        let mut template = TemplateSpec::blank();
        template.inputs = ["token", "site"]
            .into_iter()
            .map(|name| berth_domain::template::TemplateInput {
                name: name.into(),
                label: name.into(),
                kind: if name == "token" {
                    InputKind::Secret
                } else {
                    InputKind::String
                },
                required: false,
                default: None,
                choices: Vec::new(),
                pattern: None,
            })
            .collect();
        let mut spec = ContainerSpec::from_template(&template, 1);
        spec.inputs.set("token", "s3cret-value");
        spec.inputs.set("site", "docs");
        let (sealed, secrets) = seal(spec, &template).unwrap();
        assert_eq!(sealed.inputs.get("token"), None);
        assert_eq!(sealed.inputs.get("site"), Some("docs"));
        assert!(!serde_json::to_string(&sealed).unwrap().contains("s3cret"));
        assert_eq!(
            secrets,
            serde_json::json!({ "inputs": { "token": "s3cret-value" } })
        );
    }
}
