//! The validation table of PVE-API.md §5, byte for byte, plus the synchronous create checks.

use serde_json::{Value, json};

use crate::common::*;

/// Form fields of one call.
type Form = Vec<(&'static str, &'static str)>;

/// (form fields, expected `errors`) — every row also carries a valid vmid/ostemplate unless it
/// is about them.
fn table() -> Vec<(Form, Value)> {
    let nic = "invalid format - format error\n";
    vec![
        (
            vec![("vmid", "99"), ("ostemplate", DEBIAN)],
            json!({"vmid": "invalid format - value does not look like a valid VM ID\n"}),
        ),
        (
            vec![("vmid", "abc"), ("ostemplate", DEBIAN)],
            json!({"vmid": "type check ('integer') failed - got 'abc'"}),
        ),
        (
            vec![("vmid", "1000000000"), ("ostemplate", DEBIAN)],
            json!({"vmid": "invalid format - value does not look like a valid VM ID\n"}),
        ),
        (
            vec![("vmid", "100")],
            json!({"ostemplate": "property is missing and it is not optional"}),
        ),
        (
            vec![
                ("vmid", "100"),
                ("ostemplate", DEBIAN),
                ("memory", "8"),
                ("swap", "-1"),
                ("cores", "0"),
            ],
            json!({"cores": "value must have a minimum value of 1", "memory": "value must have a minimum value of 16", "swap": "value must have a minimum value of 0"}),
        ),
        (
            vec![
                ("vmid", "100"),
                ("ostemplate", DEBIAN),
                ("cores", "9000"),
                ("password", "abc"),
            ],
            json!({"cores": "value must have a maximum value of 8192", "password": "value must be at least 5 characters long"}),
        ),
        (
            vec![
                ("vmid", "100"),
                ("ostemplate", DEBIAN),
                ("hostname", "bad_name"),
            ],
            json!({"hostname": "invalid format - value does not look like a valid DNS name\n"}),
        ),
        (
            vec![
                ("vmid", "100"),
                ("ostemplate", DEBIAN),
                ("hostname", "-bad"),
            ],
            json!({"hostname": "invalid format - value does not look like a valid DNS name\n"}),
        ),
        (
            vec![
                ("vmid", "100"),
                ("ostemplate", DEBIAN),
                ("unprivileged", "true"),
            ],
            json!({"unprivileged": "type check ('boolean') failed - got 'true'"}),
        ),
        (
            vec![("vmid", "100"), ("ostemplate", DEBIAN), ("foo", "1")],
            json!({"foo": "property is not defined in schema and the schema does not allow additional properties"}),
        ),
        (
            vec![
                ("vmid", "100"),
                ("ostemplate", DEBIAN),
                ("net0", "name=eth0,bridge=vmbr0,ip=10.0.0.5"),
            ],
            json!({"net0": format!("{nic}net0.ip: invalid format - value does not look like a valid ipv4 network configuration\n\n")}),
        ),
        (
            vec![
                ("vmid", "100"),
                ("ostemplate", DEBIAN),
                ("net0", "bridge=vmbr0,ip=dhcp"),
            ],
            json!({"net0": format!("{nic}net0.name: property is missing and it is not optional\n")}),
        ),
        (
            vec![
                ("vmid", "100"),
                ("ostemplate", DEBIAN),
                ("net0", "name=eth0,bridge=vmbr0,tag=5000"),
            ],
            json!({"net0": format!("{nic}net0.tag: value must have a maximum value of 4094\n")}),
        ),
        (
            vec![
                ("vmid", "100"),
                ("ostemplate", DEBIAN),
                ("net0", "name=eth0,bridge=vmbr0,foo=bar"),
            ],
            json!({"net0": format!("{nic}net0.foo: property is not defined in schema and the schema does not allow additional properties\n")}),
        ),
        (
            vec![("vmid", "100"), ("ostemplate", DEBIAN), ("tags", "bad!tag")],
            json!({"tags": "invalid format - invalid characters in tag\n"}),
        ),
    ]
}

#[tokio::test]
async fn validation_errors_are_byte_exact() {
    let sim = start().await;
    for (form, expected) in table() {
        let r = post(&sim, "/nodes/pve1/lxc", &form).await;
        assert_eq!(r.status, 400, "{form:?}: {}", r.text);
        assert_eq!(r.reason, "Parameter verification failed.");
        let body = r.json();
        assert_eq!(body["errors"], expected, "{form:?}");
        assert_eq!(body["message"], "Parameter verification failed.\n");
        assert_eq!(body["data"], Value::Null);
    }
    // Path placeholders are validated like any parameter.
    let r = post(
        &sim,
        "/nodes/pve_1/lxc",
        &[("vmid", "0100"), ("ostemplate", DEBIAN)],
    )
    .await;
    assert_eq!(
        r.json()["errors"],
        json!({"node": "invalid format - value does not look like a valid node name\n", "vmid": "invalid format - value does not look like a valid VM ID\n"})
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn valid_row_passes() {
    let sim = start().await;
    let form = [
        ("vmid", "100"),
        ("ostemplate", DEBIAN),
        ("rootfs", "local-lvm:1"),
        (
            "net0",
            "name=eth0,bridge=vmbr0,ip=10.0.0.5/24,gw=10.0.0.1,firewall=1,ip6=auto",
        ),
        ("features", "nesting=1"),
        ("tags", "web;prod,a b"),
    ];
    assert!(
        post(&sim, "/nodes/pve1/lxc", &form)
            .await
            .data()
            .is_string()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn synchronous_create_errors() {
    let sim = start().await;
    assert_eq!(create_ct(&sim, "100").await, "OK");
    let cases: Vec<(Form, u16, &str)> = vec![
        (
            vec![("vmid", "100"), ("ostemplate", DEBIAN)],
            500,
            "CT 100 already exists on node 'pve1'",
        ),
        (
            vec![("vmid", "101"), ("ostemplate", "local:iso/x.iso")],
            500,
            "unable to use volume local:iso/x.iso - content type needs to be 'vztmpl'",
        ),
        (
            vec![("vmid", "101"), ("ostemplate", "/tmp/x.tar.gz")],
            500,
            "Only root can pass arbitrary filesystem paths.",
        ),
        (
            vec![("vmid", "101"), ("ostemplate", DEBIAN), ("storage", "foo")],
            500,
            "storage 'foo' does not exist",
        ),
        (
            vec![("vmid", "101"), ("ostemplate", DEBIAN), ("pool", "x")],
            403,
            "Permission check failed (pool 'x' does not exist)",
        ),
        (
            vec![
                ("vmid", "101"),
                ("ostemplate", DEBIAN),
                ("ssh-public-keys", "not a key"),
            ],
            500,
            "SSH public key validation error",
        ),
        (
            vec![
                ("vmid", "101"),
                ("ostemplate", DEBIAN),
                ("net0", "name=eth0,bridge=vmbr0,mtu=9000"),
            ],
            500,
            "net0: MTU size '9000' is bigger than bridge MTU '1500'",
        ),
    ];
    for (form, status, reason) in cases {
        let r = post(&sim, "/nodes/pve1/lxc", &form).await;
        assert_eq!(
            (r.status.as_u16(), r.reason.as_str()),
            (status, reason),
            "{form:?}"
        );
        assert_eq!(r.json()["message"], format!("{reason}\n"));
    }
    // A storage without `rootdir` is a parameter error.
    let mut options = fast_options();
    options.seed.nodes[0].storages[0]
        .content
        .retain(|c| c != "rootdir");
    let sim2 = berth_pve_sim::spawn(options).await.unwrap();
    let r = post(
        &sim2,
        "/nodes/pve1/lxc",
        &[("vmid", "101"), ("ostemplate", DEBIAN)],
    )
    .await;
    assert_eq!(
        r.json()["errors"],
        json!({"storage": "storage 'local' does not support container directories"})
    );
    sim2.shutdown().await;
    sim.shutdown().await;
}
