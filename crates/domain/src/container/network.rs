//! The network section: bridge, VLAN, IPv4/IPv6 addressing and the resolver.

use super::names::dns_name_problem;
use super::spec::Network;
use crate::net::{Cidr, bridge_problem, gateway_problem};
use crate::template::{Problems, StaticAddress};
use std::net::IpAddr;

/// The resolver reads at most three `nameserver` lines (glibc MAXNS).
pub const MAX_DNS_SERVERS: usize = 3;

pub(super) fn check_network(n: &Network, problems: &mut Problems) {
    if let Some(problem) = bridge_problem(&n.bridge) {
        problems.add("bridge", problem);
    }
    if let Some(vlan) = n.vlan
        && !(1..=4094).contains(&vlan)
    {
        problems.add("vlan", "must be between 1 and 4094");
    }
    if let Some(fixed) = n.ipv4.static_address() {
        problems.nested("ipv4", |p| static_address(fixed, true, p));
    }
    if let Some(fixed) = n.ipv6.static_address() {
        problems.nested("ipv6", |p| static_address(fixed, false, p));
    }
    if n.dns_servers.len() > MAX_DNS_SERVERS {
        problems.add(
            "dns_servers",
            format!("has more than {MAX_DNS_SERVERS} servers; the resolver ignores the rest"),
        );
    }
    for (i, server) in n.dns_servers.iter().enumerate() {
        let at = format!("dns_servers[{i}]");
        match server.parse::<IpAddr>() {
            Err(_) => problems.add(&at, format!("{server:?} is not an IP address")),
            Ok(_) if n.dns_servers[..i].contains(server) => {
                problems.add(&at, format!("{server} is listed twice"));
            }
            Ok(_) => {}
        }
    }
    if !n.search_domain.is_empty()
        && let Some(problem) = dns_name_problem(&n.search_domain)
    {
        problems.add("search_domain", problem);
    }
}

fn static_address(fixed: &StaticAddress, v4: bool, problems: &mut Problems) {
    let family = if v4 { "IPv4" } else { "IPv6" };
    let cidr = match Cidr::parse(&fixed.address) {
        Ok(cidr) if cidr.address.is_ipv4() == v4 => cidr,
        Ok(_) => return problems.add("address", format!("is not an {family} address")),
        Err(problem) => return problems.add("address", problem),
    };
    if let Some(problem) = host_address_problem(&cidr) {
        problems.add("address", problem);
    }
    if let Some(problem) = fixed
        .gateway
        .as_deref()
        .and_then(|gw| gateway_problem(&cidr, gw))
    {
        problems.add("gateway", problem);
    }
}

/// Addresses no interface can use, and the network/broadcast address of a subnet with hosts.
fn host_address_problem(cidr: &Cidr) -> Option<String> {
    let ip = cidr.address;
    if ip.is_unspecified() || ip.is_loopback() || ip.is_multicast() {
        return Some(format!("{ip} cannot be a container's address"));
    }
    let IpAddr::V4(v4) = ip else { return None };
    // /31 and /32 have no network or broadcast address (RFC 3021).
    if cidr.prefix >= 31 {
        return None;
    }
    let host_bits = u32::from(v4) & (u32::MAX >> cidr.prefix);
    if host_bits == 0 {
        return Some(format!("{ip} is the network address of its subnet"));
    }
    if host_bits == u32::MAX >> cidr.prefix {
        return Some(format!("{ip} is the broadcast address of its subnet"));
    }
    None
}
