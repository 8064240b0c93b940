//! Template input values, the script environment and the server's pattern checks.

use super::*;

#[test]
fn values_match_their_declarations() {
    run(&[
        (|s| s.inputs.set("workers", "-3"), None),
        (|s| s.inputs.set("workers", "9223372036854775807"), None),
        (|s| s.inputs.set("debug", "true"), None),
        (|s| s.inputs.set("flavor", "large"), None),
        (|s| s.inputs.set("site_name", "x".repeat(4096)), None),
        (|s| s.inputs.set("workers", ""), None),
        (
            |s| {
                s.inputs.remove("flavor");
            },
            None,
        ),
        (
            |s| s.inputs.set("workers", "2.5"),
            Some(("inputs.workers", "not a whole number")),
        ),
        (
            |s| s.inputs.set("workers", "9223372036854775808"),
            Some(("inputs.workers", "not a whole number")),
        ),
        (
            |s| s.inputs.set("debug", "yes"),
            Some(("inputs.debug", "true or false")),
        ),
        (
            |s| s.inputs.set("flavor", "medium"),
            Some(("inputs.flavor", "small, large")),
        ),
        (
            |s| s.inputs.set("site_name", ""),
            Some(("inputs.site_name", "is required")),
        ),
        (
            |s| {
                s.inputs.remove("db_password");
            },
            Some(("inputs.db_password", "is required")),
        ),
        (
            |s| s.inputs.set("site_name", "x".repeat(4097)),
            Some(("inputs.site_name", "longer than 4096")),
        ),
        (
            |s| s.inputs.set("site_name", "a\0b"),
            Some(("inputs.site_name", "NUL")),
        ),
        (
            |s| s.inputs.set("colour", "blue"),
            Some(("inputs.colour", "not an input of template \"web\"")),
        ),
    ]);
}

#[test]
fn secret_values_never_appear_in_messages() {
    let mut spec = valid();
    spec.inputs
        .set("db_password", format!("{}\0", "p".repeat(10)));
    let found = spec.validate(&template()).unwrap_err();
    assert!(
        found.iter().all(|p| !p.message.contains("pppp")),
        "{found:?}"
    );
}

#[test]
fn environment_names() {
    let cases = [
        ("db_password", "BERTH_INPUT_DB_PASSWORD"),
        ("site2", "BERTH_INPUT_SITE2"),
        ("a-b.c", "BERTH_INPUT_A_B_C"),
        ("é", "BERTH_INPUT__"),
    ];
    for (name, want) in cases {
        assert_eq!(input_env_name(name), want, "{name}");
    }
}

#[test]
fn environment_has_every_declared_input_in_template_order() {
    let mut spec = valid();
    spec.inputs.remove("flavor");
    spec.inputs.set("site_name", "shop");
    let env = spec.input_env(&template());
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        pairs,
        [
            ("BERTH_INPUT_SITE_NAME", "shop"),
            ("BERTH_INPUT_DB_PASSWORD", "s3cret-pass"),
            ("BERTH_INPUT_WORKERS", ""),
            ("BERTH_INPUT_DEBUG", "false"),
            // Removed from the spec, so the template's default applies.
            ("BERTH_INPUT_FLAVOR", "small"),
        ]
    );
}

#[test]
fn patterns_are_left_to_the_server_with_their_path() {
    let template = template();
    let spec = valid();
    let checks = spec.pattern_checks(&template);
    assert_eq!(
        checks,
        [PatternCheck {
            path: "inputs.site_name".into(),
            pattern: "[a-z]+",
            value: "example",
        }]
    );
    let mut empty = valid();
    empty.inputs.set("site_name", "");
    assert!(empty.pattern_checks(&template).is_empty());
}
