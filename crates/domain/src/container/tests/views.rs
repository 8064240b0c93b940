//! Defaults from a template, the wire form, and the review that hides secrets.

use super::*;
use crate::template::{Ipv4Mode, Ipv6Mode, StaticAddress};

#[test]
fn defaults_come_from_the_template() {
    let mut t = template();
    t.resources.cores = 4;
    t.resources.memory_mib = 2048;
    t.resources.swap_mib = 0;
    t.resources.disk_gib = 20;
    t.resources.nesting = true;
    t.network.bridge = "vmbr1".into();
    t.network.vlan = Some(20);
    t.network.ipv6 = Ipv6Mode::Auto;
    let spec = ContainerSpec::from_template(&t, 7);
    assert_eq!(
        spec.template,
        TemplateRef {
            name: "web".into(),
            version: 7
        }
    );
    assert_eq!(spec.identity.hostname, "web");
    assert_eq!(
        (spec.identity.vmid, &spec.identity.node),
        (VmidChoice::Auto, &NodeChoice::Auto)
    );
    assert_eq!(
        spec.resources,
        Resources {
            cores: 4,
            memory_mib: 2048,
            swap_mib: 0,
            unprivileged: true,
            nesting: true
        }
    );
    assert_eq!(
        spec.storage.rootfs,
        Volume {
            storage: String::new(),
            size_gib: 20
        }
    );
    assert_eq!(
        (spec.network.bridge.as_str(), spec.network.vlan),
        ("vmbr1", Some(20))
    );
    assert_eq!(
        (&spec.network.ipv4, &spec.network.ipv6),
        (&Ipv4Mode::Dhcp, &Ipv6Mode::Auto)
    );
    let inputs: Vec<_> = spec.inputs.iter().collect();
    assert_eq!(
        inputs,
        [
            ("debug", "false"),
            ("flavor", "small"),
            ("site_name", "example")
        ]
    );
    assert!(spec.start_after_create);
    // What the operator must still choose is reported, and nothing else.
    let paths: Vec<_> = spec
        .validate(&t)
        .unwrap_err()
        .into_iter()
        .map(|p| p.path)
        .collect();
    assert_eq!(
        paths,
        [
            "storage.rootfs.storage",
            "access.ssh_keys",
            "inputs.db_password"
        ]
    );
}

/// Every optional part set, so the round trip covers them.
fn full() -> ContainerSpec {
    let mut spec = valid();
    spec.identity.vmid = VmidChoice::Chosen(123);
    spec.identity.node = NodeChoice::Named("pve2".into());
    spec.identity.tags = vec!["web".into()];
    spec.storage.mount_points = vec![MountPoint {
        storage: "local-zfs".into(),
        size_gib: 50,
        path: "/srv".into(),
    }];
    spec.network.vlan = Some(10);
    spec.network.ipv4 = Ipv4Mode::Static(StaticAddress {
        address: "10.0.0.5/24".into(),
        gateway: Some("10.0.0.1".into()),
    });
    spec.network.ipv6 = Ipv6Mode::Dhcp;
    spec.network.dns_servers = vec!["10.0.0.2".into()];
    spec.network.search_domain = "lab.example".into();
    spec.access.root_password = Some(Secret::new("correct horse"));
    spec
}

#[test]
fn serde_round_trips_and_keeps_the_password_for_the_server() {
    for spec in [valid(), full()] {
        let json = serde_json::to_string(&spec).unwrap();
        assert_eq!(serde_json::from_str::<ContainerSpec>(&json).unwrap(), spec);
    }
    let json = serde_json::to_value(full()).unwrap();
    assert_eq!(json["identity"]["vmid"], serde_json::json!({"chosen": 123}));
    assert_eq!(
        json["identity"]["node"],
        serde_json::json!({"named": "pve2"})
    );
    assert_eq!(json["access"]["root_password"], "correct horse");
    assert_eq!(
        serde_json::to_value(valid()).unwrap()["identity"]["vmid"],
        "auto"
    );
}

#[test]
fn unknown_fields_are_refused() {
    let mut json = serde_json::to_value(valid()).unwrap();
    json["resources"]["memroy_mib"] = 512.into();
    assert!(serde_json::from_value::<ContainerSpec>(json).is_err());
}

#[test]
fn debug_shows_no_secret() {
    let shown = format!("{:?}", full());
    assert!(
        !shown.contains("correct horse") && !shown.contains("s3cret"),
        "{shown}"
    );
    assert!(shown.contains("db_password") && shown.contains("[redacted]"));
}

#[test]
fn review_hides_the_password_and_secret_inputs() {
    let mut spec = full();
    spec.inputs.set("stray", "maybe-secret");
    let review = spec.review(&template());
    assert!(review.access.root_password_set);
    assert_eq!(review.access.ssh_keys, [ED25519]);
    let shown: Vec<_> = review
        .inputs
        .iter()
        .map(|i| (i.label.as_str(), &i.value))
        .collect();
    assert_eq!(
        shown,
        [
            ("site name", &ShownValue::Plain("example".into())),
            ("db password", &ShownValue::Hidden),
            ("workers", &ShownValue::Unset),
            ("debug", &ShownValue::Plain("false".into())),
            ("flavor", &ShownValue::Plain("small".into())),
            ("stray", &ShownValue::Hidden),
        ]
    );
    let json = serde_json::to_string(&review).unwrap();
    for secret in ["correct horse", "s3cret", "maybe-secret"] {
        assert!(!json.contains(secret), "{secret} in {json}");
    }
    assert_eq!(review.network, spec.network);
    assert!(!valid().review(&template()).access.root_password_set);
}
