//! Unit tests of the OIDC settings and the group → role mapping.

use super::*;

const PUBLIC: &str = "https://berth.example.com";

fn env(pairs: &[(&'static str, &'static str)]) -> Source {
    Source::from_env_pairs(pairs.iter().copied())
}

fn corp(extra: &[(&'static str, &'static str)]) -> Source {
    let mut pairs = vec![
        ("BERTH_OIDC_PROVIDERS", "corp"),
        (
            "BERTH_OIDC_CORP_ISSUER",
            "https://login.example.com/realms/corp",
        ),
        ("BERTH_OIDC_CORP_CLIENT_ID", "berth"),
        ("BERTH_OIDC_CORP_CLIENT_SECRET", "s3cret-value"),
    ];
    pairs.extend_from_slice(extra);
    env(&pairs)
}

fn error(source: &Source) -> String {
    providers(source, PUBLIC).unwrap_err().to_string()
}

#[test]
fn no_providers_by_default() {
    assert!(providers(&env(&[]), PUBLIC).unwrap().is_empty());
}

#[test]
fn defaults_for_a_minimal_provider() {
    let [p] = <[ProviderConfig; 1]>::try_from(providers(&corp(&[]), PUBLIC).unwrap()).unwrap();
    assert_eq!(p.id, "corp");
    assert_eq!(p.label, "corp");
    assert_eq!(p.issuer, "https://login.example.com/realms/corp");
    assert_eq!(p.client_id, "berth");
    assert_eq!(p.client_secret.as_ref().unwrap().expose(), "s3cret-value");
    assert_eq!(p.scopes, vec!["openid", "profile", "email"]);
    assert_eq!(
        p.redirect_url,
        "https://berth.example.com/auth/oidc/corp/callback"
    );
    assert_eq!(p.groups_claim, "groups");
    assert_eq!(
        p.roles,
        RoleMapping {
            groups: vec![],
            default_role: Some(Role::Viewer)
        }
    );
    assert!(
        !format!("{p:?}").contains("s3cret-value"),
        "the secret is never printed"
    );
}

#[test]
fn every_setting_is_read() {
    let source = corp(&[
        ("BERTH_OIDC_CORP_LABEL", "Corporate login"),
        ("BERTH_OIDC_CORP_SCOPES", "openid email groups"),
        (
            "BERTH_OIDC_CORP_REDIRECT_URL",
            "https://b.example/auth/oidc/corp/callback",
        ),
        ("BERTH_OIDC_CORP_GROUPS_CLAIM", "roles"),
        (
            "BERTH_OIDC_CORP_ROLE_MAP",
            "berth-admins=admin, berth-ops=operator",
        ),
        ("BERTH_OIDC_CORP_DEFAULT_ROLE", "none"),
    ]);
    let p = providers(&source, PUBLIC).unwrap().remove(0);
    assert_eq!(p.label, "Corporate login");
    assert_eq!(p.scopes, vec!["openid", "email", "groups"]);
    assert_eq!(p.redirect_url, "https://b.example/auth/oidc/corp/callback");
    assert_eq!(p.groups_claim, "roles");
    assert_eq!(
        p.roles.groups,
        vec![
            ("berth-admins".to_string(), Role::Admin),
            ("berth-ops".to_string(), Role::Operator)
        ]
    );
    assert_eq!(p.roles.default_role, None);
}

#[test]
fn an_empty_secret_means_a_public_client() {
    let source = corp(&[("BERTH_OIDC_CORP_CLIENT_SECRET", "")]);
    assert!(
        providers(&source, PUBLIC).unwrap()[0]
            .client_secret
            .is_none()
    );
}

#[test]
fn several_providers_each_with_their_own_variables() {
    let source = corp(&[
        ("BERTH_OIDC_PROVIDERS", "corp,partner-x"),
        ("BERTH_OIDC_PARTNER_X_ISSUER", "http://127.0.0.1:9000"),
        ("BERTH_OIDC_PARTNER_X_CLIENT_ID", "berth-partner"),
    ]);
    let all = providers(&source, "http://127.0.0.1:3000").unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].id, "partner-x");
    assert_eq!(
        all[1].redirect_url,
        "http://127.0.0.1:3000/auth/oidc/partner-x/callback"
    );
}

#[test]
fn each_error_is_one_line_naming_the_variable() {
    let cases: &[(&[(&'static str, &'static str)], &str)] = &[
        (
            &[("BERTH_OIDC_CORP_ISSUER", "http://login.example.com")],
            "BERTH_OIDC_CORP_ISSUER: expected",
        ),
        (
            &[("BERTH_OIDC_CORP_ISSUER", "not a url")],
            "BERTH_OIDC_CORP_ISSUER: expected",
        ),
        (
            &[("BERTH_OIDC_CORP_CLIENT_ID", "")],
            "BERTH_OIDC_CORP_CLIENT_ID: expected",
        ),
        (
            &[("BERTH_OIDC_CORP_SCOPES", "profile email")],
            "BERTH_OIDC_CORP_SCOPES: expected",
        ),
        (
            &[("BERTH_OIDC_CORP_REDIRECT_URL", "https://b.example/cb")],
            "BERTH_OIDC_CORP_REDIRECT_URL: expected",
        ),
        (
            &[("BERTH_OIDC_CORP_ROLE_MAP", "admins")],
            "BERTH_OIDC_CORP_ROLE_MAP: expected",
        ),
        (
            &[("BERTH_OIDC_CORP_ROLE_MAP", "admins=root")],
            "BERTH_OIDC_CORP_ROLE_MAP: expected",
        ),
        (
            &[("BERTH_OIDC_CORP_DEFAULT_ROLE", "guest")],
            "BERTH_OIDC_CORP_DEFAULT_ROLE: expected",
        ),
        (
            &[("BERTH_OIDC_PROVIDERS", "corp,Other")],
            "BERTH_OIDC_PROVIDERS: expected",
        ),
    ];
    for (extra, start) in cases {
        let err = error(&corp(extra));
        assert!(err.starts_with(start), "{err}");
        assert!(!err.contains('\n'), "{err}");
    }
    let err = error(&env(&[("BERTH_OIDC_PROVIDERS", "corp")]));
    assert!(
        err.starts_with("BERTH_OIDC_CORP_ISSUER is not set"),
        "{err}"
    );
}

#[test]
fn the_highest_matching_role_wins() {
    let mapping = RoleMapping {
        groups: parse_role_map("staff=viewer,berth-ops=operator,berth-admins=admin").unwrap(),
        default_role: Some(Role::Viewer),
    };
    let groups = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    assert_eq!(
        mapping.role_for(&groups(&["berth-ops", "staff"])),
        Some(Role::Operator)
    );
    assert_eq!(
        mapping.role_for(&groups(&["staff", "berth-admins", "berth-ops"])),
        Some(Role::Admin)
    );
    assert_eq!(
        mapping.role_for(&groups(&["elsewhere"])),
        Some(Role::Viewer)
    );
    assert_eq!(mapping.role_for(&[]), Some(Role::Viewer));
    // Group names are compared exactly.
    assert_eq!(
        mapping.role_for(&groups(&["Berth-Admins"])),
        Some(Role::Viewer)
    );
    assert!(mapping.is_authoritative());
}

#[test]
fn no_match_and_no_default_role_refuses() {
    let mapping = RoleMapping {
        groups: parse_role_map("berth-admins=admin").unwrap(),
        default_role: None,
    };
    assert_eq!(mapping.role_for(&["other".to_string()]), None);
    assert_eq!(
        mapping.role_for(&["berth-admins".to_string()]),
        Some(Role::Admin)
    );
}

#[test]
fn the_server_config_reads_providers_and_knows_their_variables() {
    let source = Source::from_env_pairs([
        ("BERTH_DATABASE_URL", "postgres://berth@db/berth"),
        ("BERTH_REDIS_URL", "redis://cache"),
        ("BERTH_PUBLIC_URL", "https://berth.example.com"),
        ("BERTH_OIDC_PROVIDERS", "corp"),
        ("BERTH_OIDC_CORP_ISSUER", "https://login.example.com"),
        ("BERTH_OIDC_CORP_CLIENT_ID", "berth"),
        ("BERTH_OIDC_CORP_CLIENT_SECERT", "typo"),
        ("BERTH_OIDC_OTHER_ISSUER", "https://other.example.com"),
    ]);
    let config = crate::config::ServerConfig::from_source(&source).unwrap();
    assert_eq!(config.oidc.len(), 1);
    assert_eq!(
        config.oidc[0].redirect_url,
        "https://berth.example.com/auth/oidc/corp/callback"
    );
    // Typos and variables of providers not listed are still reported.
    assert_eq!(
        config.unknown_env,
        vec!["BERTH_OIDC_CORP_CLIENT_SECERT", "BERTH_OIDC_OTHER_ISSUER"]
    );
    assert!(crate::config::settings_help().contains("BERTH_OIDC_<ID>_ROLE_MAP"));
}
