//! Bridge, VLAN, static addressing with gateways, DNS servers and the search domain.

use super::*;
use crate::template::{Ipv4Mode, Ipv6Mode, StaticAddress};

fn v4(address: &str, gateway: Option<&str>) -> Ipv4Mode {
    Ipv4Mode::Static(fixed(address, gateway))
}

fn v6(address: &str, gateway: Option<&str>) -> Ipv6Mode {
    Ipv6Mode::Static(fixed(address, gateway))
}

fn fixed(address: &str, gateway: Option<&str>) -> StaticAddress {
    StaticAddress {
        address: address.into(),
        gateway: gateway.map(Into::into),
    }
}

#[test]
fn bridge_and_vlan() {
    run(&[
        (|s| s.network.bridge = "vmbr1".into(), None),
        (
            |s| s.network.bridge = String::new(),
            Some(("network.bridge", "is required")),
        ),
        (
            |s| s.network.bridge = "0br".into(),
            Some(("network.bridge", "bridge name")),
        ),
        (|s| s.network.vlan = Some(1), None),
        (|s| s.network.vlan = Some(4094), None),
        (
            |s| s.network.vlan = Some(0),
            Some(("network.vlan", "between 1 and 4094")),
        ),
        (
            |s| s.network.vlan = Some(4095),
            Some(("network.vlan", "between 1 and 4094")),
        ),
    ]);
}

#[test]
fn ipv4() {
    run(&[
        (
            |s| s.network.ipv4 = v4("10.0.0.5/24", Some("10.0.0.1")),
            None,
        ),
        (|s| s.network.ipv4 = v4("10.0.0.5/24", None), None),
        (
            |s| s.network.ipv4 = v4("10.0.0.254/24", Some("10.0.0.1")),
            None,
        ),
        (|s| s.network.ipv4 = v4("10.0.0.0/31", None), None),
        (|s| s.network.ipv4 = v4("10.0.0.7/32", None), None),
        (
            |s| s.network.ipv4 = v4("10.0.0.5", None),
            Some(("network.ipv4.address", "prefix length")),
        ),
        (
            |s| s.network.ipv4 = v4("10.0.0.5/33", None),
            Some(("network.ipv4.address", "0–32")),
        ),
        (
            |s| s.network.ipv4 = v4("fd00::5/64", None),
            Some(("network.ipv4.address", "not an IPv4")),
        ),
        (
            |s| s.network.ipv4 = v4("10.0.0.0/24", None),
            Some(("network.ipv4.address", "network address")),
        ),
        (
            |s| s.network.ipv4 = v4("10.0.0.255/24", None),
            Some(("network.ipv4.address", "broadcast address")),
        ),
        (
            |s| s.network.ipv4 = v4("127.0.0.2/8", None),
            Some(("network.ipv4.address", "cannot be a container's address")),
        ),
        (
            |s| s.network.ipv4 = v4("10.0.0.5/24", Some("10.0.1.1")),
            Some(("network.ipv4.gateway", "outside the subnet")),
        ),
        (
            |s| s.network.ipv4 = v4("10.0.0.5/24", Some("10.0.0.5")),
            Some(("network.ipv4.gateway", "own address")),
        ),
        (
            |s| s.network.ipv4 = v4("10.0.0.5/24", Some("fd00::1")),
            Some(("network.ipv4.gateway", "address family")),
        ),
        (
            |s| s.network.ipv4 = v4("10.0.0.5/24", Some("gw")),
            Some(("network.ipv4.gateway", "not an IP address")),
        ),
    ]);
}

#[test]
fn ipv6() {
    run(&[
        (|s| s.network.ipv6 = Ipv6Mode::Auto, None),
        (|s| s.network.ipv6 = Ipv6Mode::Dhcp, None),
        (|s| s.network.ipv6 = v6("fd00::5/64", Some("fd00::1")), None),
        (|s| s.network.ipv6 = v6("fd00::/64", None), None),
        (
            |s| s.network.ipv6 = v6("10.0.0.5/24", None),
            Some(("network.ipv6.address", "not an IPv6")),
        ),
        (
            |s| s.network.ipv6 = v6("fd00::5/129", None),
            Some(("network.ipv6.address", "0–128")),
        ),
        (
            |s| s.network.ipv6 = v6("::1/128", None),
            Some(("network.ipv6.address", "cannot be")),
        ),
        (
            |s| s.network.ipv6 = v6("fd00::5/64", Some("fd01::1")),
            Some(("network.ipv6.gateway", "outside the subnet")),
        ),
        (
            |s| s.network.ipv6 = v6("fd00::5/64", Some("fd00::5")),
            Some(("network.ipv6.gateway", "own address")),
        ),
    ]);
}

#[test]
fn resolver() {
    run(&[
        (
            |s| {
                s.network.dns_servers =
                    vec!["1.1.1.1".into(), "9.9.9.9".into(), "2606:4700::1111".into()]
            },
            None,
        ),
        (
            |s| {
                s.network.dns_servers = vec![
                    "1.1.1.1".into(),
                    "1.0.0.1".into(),
                    "8.8.8.8".into(),
                    "9.9.9.9".into(),
                ]
            },
            Some(("network.dns_servers", "more than 3")),
        ),
        (
            |s| s.network.dns_servers = vec!["1.1.1.1".into(), "dns.example".into()],
            Some(("network.dns_servers[1]", "not an IP address")),
        ),
        (
            |s| s.network.dns_servers = vec!["1.1.1.1".into(), "1.1.1.1".into()],
            Some(("network.dns_servers[1]", "listed twice")),
        ),
        (|s| s.network.search_domain = "lab.example".into(), None),
        (
            |s| s.network.search_domain = "lab..example".into(),
            Some(("network.search_domain", "empty label")),
        ),
        (
            |s| s.network.search_domain = "lab example".into(),
            Some(("network.search_domain", "' '")),
        ),
    ]);
}
