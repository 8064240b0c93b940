//! The IPv4 address a container reports for one of its `netN` interfaces (`ip=` of the config).

use std::net::Ipv4Addr;

/// What the container reports for `ip=…` of `net{idx}`, as `address/prefix`. A `dhcp` lease is
/// stable per container and interface; with sandboxes it is a loopback address, so that the
/// host can reach what runs in the container.
pub fn reported_ipv4(ip: Option<&str>, vmid: u32, idx: u32, sandboxed: bool) -> Option<String> {
    match ip {
        Some("dhcp") if sandboxed => Some(format!("{}/8", loopback_ipv4(vmid, idx))),
        Some("dhcp") => Some(format!(
            "10.{}.{}.{}/24",
            20 + idx,
            (vmid / 250) % 250,
            vmid % 250 + 2
        )),
        Some("manual") | None => None,
        Some(cidr) => Some(cidr.to_string()),
    }
}

/// The `dhcp` address of `net{idx}` in sandbox mode: `127.{64+idx}.{(vmid/250)%250}.{vmid%250+2}`.
/// Linux routes all of 127.0.0.0/8 to `lo`, so it needs no setup; it is never 127.0.0.1, which
/// stands for the node. Unique for VMIDs below 62 500.
pub fn loopback_ipv4(vmid: u32, idx: u32) -> Ipv4Addr {
    let octet = |n: u32| u8::try_from(n).unwrap_or(u8::MAX);
    Ipv4Addr::new(
        127,
        octet(64 + idx.min(31)),
        octet((vmid / 250) % 250),
        octet(vmid % 250 + 2),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dhcp_addresses() {
        assert_eq!(loopback_ipv4(100, 0), Ipv4Addr::new(127, 64, 0, 102));
        assert_eq!(loopback_ipv4(1234, 1), Ipv4Addr::new(127, 65, 4, 236));
        assert_eq!(
            reported_ipv4(Some("dhcp"), 100, 0, true).as_deref(),
            Some("127.64.0.102/8")
        );
        assert_eq!(
            reported_ipv4(Some("dhcp"), 100, 0, false).as_deref(),
            Some("10.20.0.102/24")
        );
        assert_eq!(
            reported_ipv4(Some("10.0.0.5/24"), 100, 0, true).as_deref(),
            Some("10.0.0.5/24")
        );
        assert_eq!(reported_ipv4(Some("manual"), 100, 0, true), None);
    }
}
