//! The file format: every problem with its path in the file.

use berth_catalog::{FORMAT, TemplateDocument, builtin};

fn paths(text: &str) -> Vec<String> {
    match TemplateDocument::parse(text) {
        Ok(_) => vec![],
        Err(problems) => problems.into_iter().map(|p| p.path).collect(),
    }
}

fn debian() -> String {
    builtin::FILES[0].1.to_string()
}

#[test]
fn a_syntax_error_names_line_and_column() {
    let problems = TemplateDocument::parse("berth: template/v1\ntemplate: [\n").unwrap_err();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].message.contains("line"), "{:?}", problems[0]);
}

#[test]
fn a_wrong_type_names_its_path() {
    let text = debian().replace("cores: 1", "cores: many");
    let problems = TemplateDocument::parse(&text).unwrap_err();
    assert_eq!(problems[0].path, "template.resources.cores");
    assert!(problems[0].message.contains("line"), "{:?}", problems[0]);
}

#[test]
fn unknown_keys_are_refused() {
    let text = debian().replace("  icon: server\n", "  icon: server\n  colour: blue\n");
    let problems = TemplateDocument::parse(&text).unwrap_err();
    assert!(problems[0].message.contains("colour"), "{problems:?}");
}

#[test]
fn every_rule_breach_is_reported_with_its_path() {
    let text = debian()
        .replace("berth: template/v1", "berth: template/v9")
        .replace("memory_mib: 512", "memory_mib: 4")
        .replace("bridge: vmbr0", "bridge: 'no bridge'")
        .replace("name: debian-base", "name: Debian Base");
    assert_eq!(
        paths(&text),
        [
            "berth",
            "template.name",
            "template.resources.memory_mib",
            "template.network.bridge",
        ]
    );
}

#[test]
fn patterns_are_checked_as_regular_expressions() {
    let document = TemplateDocument::parse(&debian()).unwrap();
    let mut spec = document.template.clone();
    let input = spec.inputs.first_mut().expect("debian-base has an input");
    input.kind = berth_domain::template::InputKind::String;
    input.choices.clear();
    input.pattern = Some("([a-z]+".into());
    let broken = TemplateDocument::new(spec.clone(), document.buckets.clone());
    let problems = broken.validate().unwrap_err();
    assert_eq!(problems[0].path, "template.inputs[0].pattern");
    let input = &mut spec.inputs[0];
    input.pattern = Some("[a-z]+".into());
    input.default = Some("Not Lowercase".into());
    let problems = TemplateDocument::new(spec, document.buckets)
        .validate()
        .unwrap_err();
    assert_eq!(problems[0].path, "template.inputs[0].default");
}

#[test]
fn buckets_in_the_file_must_be_installed_by_the_template() {
    let mut document = TemplateDocument::parse(&debian()).unwrap();
    let mut extra = document.buckets[0].clone();
    extra.name = "unused".into();
    document.buckets.push(extra);
    document.buckets.push(document.buckets[0].clone());
    let problems = document.validate().unwrap_err();
    let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["buckets[1].name", "buckets[2].name"]);
    assert_eq!(FORMAT, "template/v1");
}

#[test]
fn static_addresses_round_trip_and_are_checked() {
    let fixed =
        "    ipv4:\n      mode: static\n      address: 10.0.0.5/24\n      gateway: 10.0.0.1\n";
    let text = debian().replace("    ipv4:\n      mode: dhcp\n", fixed);
    let document = TemplateDocument::parse(&text).unwrap();
    assert!(document.to_yaml().contains(fixed));
    let outside = text.replace("gateway: 10.0.0.1", "gateway: 10.9.0.1");
    assert_eq!(paths(&outside), ["template.network.ipv4.gateway"]);
    let unknown = text.replace("gateway: 10.0.0.1", "gateway: 10.0.0.1\n      mask: 24");
    assert!(
        TemplateDocument::parse(&unknown).unwrap_err()[0]
            .message
            .contains("mask")
    );
}
