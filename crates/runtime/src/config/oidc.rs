//! OpenID Connect single sign-on settings: `BERTH_OIDC_PROVIDERS` names the providers, and each
//! provider `<ID>` has its own `BERTH_OIDC_<ID>_*` variables (environment only: their names
//! depend on the ids, so the config file cannot declare them). Typed parsing lives in the server.

use super::{ConfigError, Setting, Source};
use std::fmt::Write as _;

pub const OIDC_PROVIDERS: Setting = Setting {
    key: "oidc_providers",
    env: "BERTH_OIDC_PROVIDERS",
    default: Some(""),
    expected: "a comma-separated list of provider ids such as `corp` or `corp,partner` \
               (each 1-32 of a-z, 0-9 and `-`, starting with a letter)",
    help: "OpenID Connect providers offered on the login page; empty means no single sign-on.",
    secret: false,
};

/// Read by `berth-server` (and known to every process, so it is no typo to the worker).
pub const OIDC_SETTINGS: &[Setting] = &[OIDC_PROVIDERS];

/// One per-provider variable: `BERTH_OIDC_<ID>_<suffix>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderSetting {
    pub suffix: &'static str,
    /// `None` means required.
    pub default: Option<&'static str>,
    pub expected: &'static str,
    pub help: &'static str,
    pub secret: bool,
}

pub const OIDC_ISSUER: ProviderSetting = ProviderSetting {
    suffix: "ISSUER",
    default: None,
    expected: "the issuer URL exactly as the provider writes it, such as \
               https://login.example.com/realms/corp (http:// only on loopback)",
    help: "Where discovery starts (`<issuer>/.well-known/openid-configuration`).",
    secret: false,
};
pub const OIDC_CLIENT_ID: ProviderSetting = ProviderSetting {
    suffix: "CLIENT_ID",
    default: None,
    expected: "the client id registered at the provider",
    help: "Berth's client id; ID tokens must name it as their audience.",
    secret: false,
};
pub const OIDC_CLIENT_SECRET: ProviderSetting = ProviderSetting {
    suffix: "CLIENT_SECRET",
    default: Some(""),
    expected: "the client secret registered at the provider",
    help: "Berth's client secret; empty for a public client (PKCE only).",
    secret: true,
};
pub const OIDC_LABEL: ProviderSetting = ProviderSetting {
    suffix: "LABEL",
    default: Some(""),
    expected: "a name of 1 to 64 characters",
    help: "Shown on the login page as \"Sign in with <label>\"; empty means the id.",
    secret: false,
};
pub const OIDC_SCOPES: ProviderSetting = ProviderSetting {
    suffix: "SCOPES",
    default: Some("openid profile email"),
    expected: "space-separated scopes including `openid`",
    help: "Scopes requested at sign-in.",
    secret: false,
};
pub const OIDC_REDIRECT_URL: ProviderSetting = ProviderSetting {
    suffix: "REDIRECT_URL",
    default: Some(""),
    expected: "an http(s) URL ending in /auth/oidc/<id>/callback",
    help: "The redirect URI registered at the provider; empty means \
           <public URL>/auth/oidc/<id>/callback.",
    secret: false,
};
pub const OIDC_GROUPS_CLAIM: ProviderSetting = ProviderSetting {
    suffix: "GROUPS_CLAIM",
    default: Some("groups"),
    expected: "a claim name",
    help: "The ID-token claim listing the user's groups (a string or a list of strings).",
    secret: false,
};
pub const OIDC_ROLE_MAP: ProviderSetting = ProviderSetting {
    suffix: "ROLE_MAP",
    default: Some(""),
    expected: "comma-separated `group=role` pairs (roles: viewer, operator, admin) such as \
               berth-admins=admin,berth-ops=operator",
    help: "Groups granting a Berth role; the highest matching role wins. When set, the role is \
           updated at every sign-in.",
    secret: false,
};
pub const OIDC_DEFAULT_ROLE: ProviderSetting = ProviderSetting {
    suffix: "DEFAULT_ROLE",
    default: Some("viewer"),
    expected: "viewer, operator, admin, or none",
    help: "The role when no group matches; `none` refuses the sign-in instead.",
    secret: false,
};

pub const OIDC_PROVIDER_SETTINGS: &[ProviderSetting] = &[
    OIDC_ISSUER,
    OIDC_CLIENT_ID,
    OIDC_CLIENT_SECRET,
    OIDC_LABEL,
    OIDC_SCOPES,
    OIDC_REDIRECT_URL,
    OIDC_GROUPS_CLAIM,
    OIDC_ROLE_MAP,
    OIDC_DEFAULT_ROLE,
];

/// A provider id as `BERTH_OIDC_PROVIDERS` allows it: `[a-z][a-z0-9-]{0,31}`.
pub fn is_valid_provider_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && id.len() <= 32
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
}

/// `BERTH_OIDC_<ID>_<SUFFIX>`, the id upper-cased with `-` as `_`.
pub fn provider_env(id: &str, suffix: &str) -> String {
    format!(
        "BERTH_OIDC_{}_{suffix}",
        id.to_ascii_uppercase().replace('-', "_")
    )
}

/// The provider ids listed in `BERTH_OIDC_PROVIDERS`, in order, each valid and listed once.
pub fn provider_ids(source: &Source) -> Result<Vec<String>, ConfigError> {
    source.get(&OIDC_PROVIDERS, |value| {
        let mut ids: Vec<String> = Vec::new();
        for id in value.split(',').map(str::trim).filter(|id| !id.is_empty()) {
            if !is_valid_provider_id(id) || ids.iter().any(|seen| seen == id) {
                return Err(format!(
                    "{} (`{id}` is {})",
                    OIDC_PROVIDERS.expected,
                    if is_valid_provider_id(id) {
                        "listed twice"
                    } else {
                        "not a valid id"
                    }
                ));
            }
            ids.push(id.to_string());
        }
        Ok(ids)
    })
}

/// Reads one provider variable (environment only) with the usual one-line errors.
pub fn provider_value<T>(
    source: &Source,
    id: &str,
    setting: &ProviderSetting,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, ConfigError> {
    source.get(&provider_setting(id, setting), parse)
}

/// Every provider variable of these ids: they are not typos.
pub fn provider_envs(ids: &[String]) -> Vec<String> {
    ids.iter()
        .flat_map(|id| {
            OIDC_PROVIDER_SETTINGS
                .iter()
                .map(|s| provider_env(id, s.suffix))
        })
        .collect()
}

/// A [`Setting`] for one provider's variable. Its names are made once per provider at start-up
/// and live as long as the process (errors borrow them for `'static`).
fn provider_setting(id: &str, setting: &ProviderSetting) -> Setting {
    let leak = |text: String| -> &'static str { Box::leak(text.into_boxed_str()) };
    Setting {
        key: leak(format!("oidc_{id}_{}", setting.suffix.to_ascii_lowercase())),
        env: leak(provider_env(id, setting.suffix)),
        default: setting.default,
        expected: setting.expected,
        help: setting.help,
        secret: setting.secret,
    }
}

/// The `--help` section for the per-provider variables.
pub fn provider_help_text() -> String {
    let mut out = String::from(
        "\n  Per OpenID Connect provider <ID> listed in BERTH_OIDC_PROVIDERS \
         (environment only; <ID> upper-cased, `-` as `_`):\n",
    );
    for s in OIDC_PROVIDER_SETTINGS {
        let default = match s.default {
            Some("") => "default: empty".to_string(),
            Some(d) => format!("default: {d}"),
            None => "required".to_string(),
        };
        let secret = if s.secret { ", secret" } else { "" };
        let env = format!("BERTH_OIDC_<ID>_{}", s.suffix);
        let _ = writeln!(
            out,
            "    {env:<32} {}\n    {:<32} {default}{secret}; {}",
            s.help, "", s.expected
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_validated_and_named_in_the_error() {
        let source = Source::from_env_pairs([("BERTH_OIDC_PROVIDERS", " corp , partner-x ")]);
        assert_eq!(provider_ids(&source).unwrap(), vec!["corp", "partner-x"]);
        assert!(provider_ids(&Source::default()).unwrap().is_empty());
        for (value, why) in [("corp,corp", "listed twice"), ("Corp", "not a valid id")] {
            let source = Source::from_env_pairs([("BERTH_OIDC_PROVIDERS", value)]);
            let err = provider_ids(&source).unwrap_err().to_string();
            assert!(err.starts_with("BERTH_OIDC_PROVIDERS: expected"), "{err}");
            assert!(err.contains(why), "{err}");
        }
    }

    #[test]
    fn provider_variables_are_named_after_the_id() {
        assert_eq!(
            provider_env("partner-x", "ISSUER"),
            "BERTH_OIDC_PARTNER_X_ISSUER"
        );
        let source = Source::default();
        let err = provider_value(&source, "corp", &OIDC_ISSUER, |v| Ok(v.to_string()))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("BERTH_OIDC_CORP_ISSUER is not set"),
            "{err}"
        );
        assert!(provider_help_text().contains("BERTH_OIDC_<ID>_CLIENT_SECRET"));
    }
}
