//! Template reference, host name, VMID, node and tags.

use super::*;

#[test]
fn template_reference() {
    run(&[
        (|s| s.template.version = 1, None),
        (
            |s| s.template.version = 0,
            Some(("template.version", "1 or more")),
        ),
        (
            |s| s.template.name = "db".into(),
            Some(("template.name", "checked against template \"web\"")),
        ),
    ]);
}

#[test]
fn hostnames() {
    run(&[
        (|s| s.identity.hostname = "a".into(), None),
        (|s| s.identity.hostname = "Web-01".into(), None),
        (|s| s.identity.hostname = "web1.lab.example".into(), None),
        (|s| s.identity.hostname = "1web".into(), None),
        (|s| s.identity.hostname = "a".repeat(63), None),
        (
            |s| s.identity.hostname = "a".repeat(64),
            Some(("identity.hostname", "longer than 63")),
        ),
        (
            |s| s.identity.hostname = format!("{0}.{0}.{0}.{1}", "a".repeat(63), "b".repeat(61)),
            None,
        ),
        (
            |s| s.identity.hostname = format!("{0}.{0}.{0}.{1}", "a".repeat(63), "b".repeat(62)),
            Some(("identity.hostname", "longer than 253")),
        ),
        (
            |s| s.identity.hostname = String::new(),
            Some(("identity.hostname", "is required")),
        ),
        (
            |s| s.identity.hostname = "bad_name".into(),
            Some(("identity.hostname", "'-' and '.' (found '_')")),
        ),
        (
            |s| s.identity.hostname = "-web".into(),
            Some(("identity.hostname", "'-'")),
        ),
        (
            |s| s.identity.hostname = "web-".into(),
            Some(("identity.hostname", "'-'")),
        ),
        (
            |s| s.identity.hostname = "web..lab".into(),
            Some(("identity.hostname", "empty label")),
        ),
        (
            |s| s.identity.hostname = "web.".into(),
            Some(("identity.hostname", "empty label")),
        ),
        (
            |s| s.identity.hostname = "10.0.0.1".into(),
            Some(("identity.hostname", "digits only")),
        ),
        (
            |s| s.identity.hostname = "wéb".into(),
            Some(("identity.hostname", "'é'")),
        ),
    ]);
}

#[test]
fn vmids() {
    run(&[
        (|s| s.identity.vmid = VmidChoice::Auto, None),
        (|s| s.identity.vmid = VmidChoice::Chosen(100), None),
        (|s| s.identity.vmid = VmidChoice::Chosen(999_999_999), None),
        (
            |s| s.identity.vmid = VmidChoice::Chosen(99),
            Some(("identity.vmid", "between 100 and 999999999")),
        ),
        (
            |s| s.identity.vmid = VmidChoice::Chosen(1_000_000_000),
            Some(("identity.vmid", "between 100 and 999999999")),
        ),
    ]);
}

#[test]
fn nodes() {
    run(&[
        (|s| s.identity.node = NodeChoice::Named("pve".into()), None),
        (
            |s| s.identity.node = NodeChoice::Named("pve-2".into()),
            None,
        ),
        (
            |s| s.identity.node = NodeChoice::Named(String::new()),
            Some(("identity.node", "is required")),
        ),
        (
            |s| s.identity.node = NodeChoice::Named("pve_1".into()),
            Some(("identity.node", "letters, digits and '-' (found '_')")),
        ),
        (
            |s| s.identity.node = NodeChoice::Named("pve.lab".into()),
            Some(("identity.node", "not a domain name")),
        ),
    ]);
}

#[test]
fn tags() {
    run(&[
        (
            |s| s.identity.tags = vec!["web".into(), "_x".into(), "a+b.c-d".into()],
            None,
        ),
        (|s| s.identity.tags = vec!["a".repeat(64)], None),
        (
            |s| s.identity.tags = vec!["berth".into(), "my-berth-x".into()],
            None,
        ),
        (
            |s| s.identity.tags = vec!["a".repeat(65)],
            Some(("identity.tags[0]", "longer than 64")),
        ),
        (
            |s| s.identity.tags = vec![String::new()],
            Some(("identity.tags[0]", "is empty")),
        ),
        (
            |s| s.identity.tags = vec!["ok".into(), "Prod".into()],
            Some(("identity.tags[1]", "lowercase")),
        ),
        (
            |s| s.identity.tags = vec!["bad!tag".into()],
            Some(("identity.tags[0]", "'!'")),
        ),
        (
            |s| s.identity.tags = vec!["-web".into()],
            Some(("identity.tags[0]", "must start")),
        ),
        (
            |s| s.identity.tags = vec!["berth-run-7".into()],
            Some(("identity.tags[0]", "reserved for Berth")),
        ),
        (
            |s| s.identity.tags = vec!["web".into(), "web".into()],
            Some(("identity.tags[1]", "listed twice")),
        ),
        (
            |s| s.identity.tags = (0..20).map(|i| format!("t{i}")).collect(),
            None,
        ),
        (
            |s| s.identity.tags = (0..21).map(|i| format!("t{i}")).collect(),
            Some(("identity.tags", "more than 20")),
        ),
    ]);
}
