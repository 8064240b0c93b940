//! Typed OpenID Connect provider settings (`BERTH_OIDC_*`), and the group → role mapping.

use berth_domain::Role;
use berth_runtime::Secret;
use berth_runtime::config::oidc::{
    OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_DEFAULT_ROLE, OIDC_GROUPS_CLAIM, OIDC_ISSUER,
    OIDC_LABEL, OIDC_REDIRECT_URL, OIDC_ROLE_MAP, OIDC_SCOPES, provider_ids, provider_value,
};
use berth_runtime::config::{ConfigError, Source};

/// One configured provider. The client secret is a [`Secret`]: never printed.
#[derive(Debug, Clone)]
pub struct ProviderConfig {
    pub id: String,
    pub label: String,
    /// Exactly as configured: discovery and ID tokens must name this very string.
    pub issuer: String,
    pub client_id: String,
    /// `None` for a public client.
    pub client_secret: Option<Secret<String>>,
    pub scopes: Vec<String>,
    pub redirect_url: String,
    pub groups_claim: String,
    pub roles: RoleMapping,
}

/// IdP groups → Berth roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleMapping {
    pub groups: Vec<(String, Role)>,
    /// The role when no group matches; `None` refuses the sign-in.
    pub default_role: Option<Role>,
}

impl RoleMapping {
    /// The highest role any of `groups` maps to, else the default; `None` means refused.
    pub fn role_for(&self, groups: &[String]) -> Option<Role> {
        self.groups
            .iter()
            .filter(|(group, _)| groups.iter().any(|g| g == group))
            .map(|(_, role)| *role)
            .max()
            .or(self.default_role)
    }

    /// Whether groups decide the role (then it is refreshed at every sign-in).
    pub fn is_authoritative(&self) -> bool {
        !self.groups.is_empty()
    }
}

/// Every provider listed in `BERTH_OIDC_PROVIDERS`. `public_url` is Berth's origin, for the
/// default redirect URL.
pub fn providers(source: &Source, public_url: &str) -> Result<Vec<ProviderConfig>, ConfigError> {
    provider_ids(source)?
        .into_iter()
        .map(|id| provider(source, public_url, id))
        .collect()
}

fn provider(source: &Source, public_url: &str, id: String) -> Result<ProviderConfig, ConfigError> {
    let text = |v: &str| Ok(v.to_string());
    let issuer = provider_value(source, &id, &OIDC_ISSUER, parse_issuer)?;
    let client_id = provider_value(source, &id, &OIDC_CLIENT_ID, |v| {
        non_empty(v, &OIDC_CLIENT_ID)
    })?;
    let client_secret = provider_value(source, &id, &OIDC_CLIENT_SECRET, text)?;
    let label = provider_value(source, &id, &OIDC_LABEL, |v| {
        if v.chars().count() > 64 {
            Err(OIDC_LABEL.expected.to_string())
        } else {
            Ok(v.to_string())
        }
    })?;
    let scopes = provider_value(source, &id, &OIDC_SCOPES, parse_scopes)?;
    let default_redirect = format!(
        "{}/auth/oidc/{id}/callback",
        public_url.trim_end_matches('/')
    );
    let redirect_url = provider_value(source, &id, &OIDC_REDIRECT_URL, |v| {
        parse_redirect(v, &id).map(|url| url.unwrap_or_else(|| default_redirect.clone()))
    })?;
    let groups_claim = provider_value(source, &id, &OIDC_GROUPS_CLAIM, |v| {
        non_empty(v, &OIDC_GROUPS_CLAIM)
    })?;
    let groups = provider_value(source, &id, &OIDC_ROLE_MAP, parse_role_map)?;
    let default_role = provider_value(source, &id, &OIDC_DEFAULT_ROLE, parse_default_role)?;
    Ok(ProviderConfig {
        label: if label.is_empty() { id.clone() } else { label },
        id,
        issuer,
        client_id,
        client_secret: (!client_secret.is_empty()).then(|| Secret::new(client_secret)),
        scopes,
        redirect_url,
        groups_claim,
        roles: RoleMapping {
            groups,
            default_role,
        },
    })
}

fn non_empty(
    value: &str,
    setting: &berth_runtime::config::oidc::ProviderSetting,
) -> Result<String, String> {
    if value.is_empty() {
        Err(setting.expected.to_string())
    } else {
        Ok(value.to_string())
    }
}

/// https://, or http:// on a loopback host (development and tests). Kept byte for byte.
fn parse_issuer(value: &str) -> Result<String, String> {
    let expected = || OIDC_ISSUER.expected.to_string();
    let url = url::Url::parse(value).map_err(|_| expected())?;
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    let ok = url.scheme() == "https" || (url.scheme() == "http" && loopback);
    if !ok || url.query().is_some() || url.fragment().is_some() {
        return Err(expected());
    }
    Ok(value.to_string())
}

fn parse_scopes(value: &str) -> Result<Vec<String>, String> {
    let scopes: Vec<String> = value.split_whitespace().map(str::to_string).collect();
    if scopes.iter().any(|s| s == "openid") {
        Ok(scopes)
    } else {
        Err(OIDC_SCOPES.expected.to_string())
    }
}

fn parse_redirect(value: &str, id: &str) -> Result<Option<String>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    let url = url::Url::parse(value).map_err(|_| OIDC_REDIRECT_URL.expected.to_string())?;
    let ok = matches!(url.scheme(), "http" | "https")
        && url.path() == format!("/auth/oidc/{id}/callback")
        && url.query().is_none();
    if ok {
        Ok(Some(value.to_string()))
    } else {
        Err(OIDC_REDIRECT_URL.expected.to_string())
    }
}

fn parse_role(value: &str) -> Result<Role, String> {
    value
        .trim()
        .parse::<Role>()
        .map_err(|_| OIDC_ROLE_MAP.expected.to_string())
}

pub(crate) fn parse_role_map(value: &str) -> Result<Vec<(String, Role)>, String> {
    let mut pairs = Vec::new();
    for pair in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((group, role)) = pair.rsplit_once('=') else {
            return Err(format!("{} (`{pair}` has no `=`)", OIDC_ROLE_MAP.expected));
        };
        let group = group.trim();
        if group.is_empty() {
            return Err(format!(
                "{} (`{pair}` has no group)",
                OIDC_ROLE_MAP.expected
            ));
        }
        let role = parse_role(role).map_err(|e| format!("{e} (`{pair}` has no known role)"))?;
        pairs.push((group.to_string(), role));
    }
    Ok(pairs)
}

fn parse_default_role(value: &str) -> Result<Option<Role>, String> {
    if value.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    value
        .parse::<Role>()
        .map(Some)
        .map_err(|_| OIDC_DEFAULT_ROLE.expected.to_string())
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
