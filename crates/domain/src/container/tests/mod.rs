//! Shared fixtures and the table runner for the container spec's rule tests.

mod access;
mod identity;
mod inputs;
mod network;
mod resources;
mod views;

use super::*;
use crate::template::{InputKind, TemplateInput, TemplateSpec};

pub const ED25519: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOu7SxNCennoz7HiEI3gd08nVrW16fWLhGpFa8MGnHd6 alice@laptop";
pub const ECDSA: &str = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBJ5ejJVxjSvvblP3dBkurCQ+4tmoT3INR13tvgrKzajoF5FEmFEq0dEAIaNSKlzwohpf51rEcX0xJQFm8AHVR8A= ops";

fn input(name: &str, kind: InputKind, required: bool, default: Option<&str>) -> TemplateInput {
    TemplateInput {
        name: name.into(),
        label: name.replace('_', " "),
        kind,
        required,
        default: default.map(Into::into),
        choices: if kind == InputKind::Choice {
            vec!["small".into(), "large".into()]
        } else {
            vec![]
        },
        pattern: None,
    }
}

/// `TemplateSpec::blank()` named `web`, with one input of every kind.
pub fn template() -> TemplateSpec {
    let mut t = TemplateSpec::blank();
    t.name = "web".into();
    t.title = "Web".into();
    let mut site = input("site_name", InputKind::String, true, Some("example"));
    site.pattern = Some("[a-z]+".into());
    t.inputs = vec![
        site,
        input("db_password", InputKind::Secret, true, None),
        input("workers", InputKind::Int, false, None),
        input("debug", InputKind::Bool, false, Some("false")),
        input("flavor", InputKind::Choice, false, Some("small")),
    ];
    t
}

/// A spec that passes: the template's defaults plus what the operator must choose.
pub fn valid() -> ContainerSpec {
    let mut spec = ContainerSpec::from_template(&template(), 3);
    spec.storage.rootfs.storage = "local-lvm".into();
    spec.access.ssh_keys = vec![ED25519.into()];
    spec.inputs.set("db_password", "s3cret-pass");
    spec
}

pub type Edit = fn(&mut ContainerSpec);

/// One rule case: an edit of [`valid`], and `None` if it must still pass, or the only path that
/// must be reported and a fragment of its message.
pub type Case = (Edit, Option<(&'static str, &'static str)>);

pub fn run(cases: &[Case]) {
    let template = template();
    assert_eq!(valid().validate(&template), Ok(()));
    for (i, (edit, want)) in cases.iter().enumerate() {
        let mut spec = valid();
        edit(&mut spec);
        let found = spec.validate(&template).err().unwrap_or_default();
        match want {
            None => assert!(found.is_empty(), "case {i}: unexpected {found:?}"),
            Some((path, fragment)) => {
                assert!(
                    !found.is_empty() && found.iter().all(|p| p.path == *path),
                    "case {i}: want only {path}, got {found:?}"
                );
                assert!(
                    found.iter().any(|p| p.message.contains(fragment)),
                    "case {i}: {path} should say {fragment:?}, got {found:?}"
                );
            }
        }
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut spec = valid();
    spec.identity.hostname = "bad_name".into();
    spec.resources.cores = 0;
    spec.storage.rootfs.storage = String::new();
    spec.network.vlan = Some(0);
    spec.access.ssh_keys.clear();
    spec.inputs.remove("db_password");
    let found = spec.validate(&template()).unwrap_err();
    let paths: Vec<_> = found.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "identity.hostname",
            "resources.cores",
            "storage.rootfs.storage",
            "network.vlan",
            "access.ssh_keys",
            "inputs.db_password",
        ]
    );
}
