//! Addresses as Proxmox takes them: IPv4/IPv6 in CIDR form, a gateway inside the subnet, bridges.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `10.0.0.5/24` or `fd00::5/64`: the address and the prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    pub address: IpAddr,
    pub prefix: u8,
}

impl Cidr {
    pub fn parse(text: &str) -> Result<Self, String> {
        let (address, prefix) = text
            .split_once('/')
            .ok_or_else(|| format!("{text:?} needs a prefix length, e.g. 10.0.0.5/24"))?;
        let address: IpAddr = address
            .parse()
            .map_err(|_| format!("{address:?} is not an IP address"))?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix: u8 = prefix
            .parse()
            .ok()
            .filter(|p| *p <= max)
            .ok_or_else(|| format!("the prefix length must be 0–{max}"))?;
        Ok(Self { address, prefix })
    }

    /// Whether `other` lies in this address's subnet.
    pub fn contains(&self, other: IpAddr) -> bool {
        match (self.address, other) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(a) & mask == u32::from(b) & mask
            }
            (IpAddr::V6(a), IpAddr::V6(b)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(a) & mask == u128::from(b) & mask
            }
            _ => false,
        }
    }
}

/// Why `gateway` cannot be the gateway of `cidr` (wrong family, outside the subnet, itself).
pub fn gateway_problem(cidr: &Cidr, gateway: &str) -> Option<String> {
    let Ok(gw) = gateway.parse::<IpAddr>() else {
        return Some(format!("{gateway:?} is not an IP address"));
    };
    if gw.is_ipv4() != cidr.address.is_ipv4() {
        return Some("is not of the same address family as the address".into());
    }
    if gw == cidr.address {
        return Some("is the container's own address".into());
    }
    if !cidr.contains(gw) {
        return Some(format!(
            "{gw} is outside the subnet of {}/{}",
            cidr.address, cidr.prefix
        ));
    }
    None
}

pub fn ipv4(text: &str) -> Option<Ipv4Addr> {
    text.parse().ok()
}

pub fn ipv6(text: &str) -> Option<Ipv6Addr> {
    text.parse().ok()
}

/// A Linux bridge name as Proxmox accepts it (`vmbr0`, `vmbr1.20` is not a bridge): at most 15
/// characters of letters, digits, `_`, `-`, `.`, starting with a letter.
pub fn bridge_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("is required".into());
    }
    if name.len() > 15 {
        return Some("is longer than 15 characters".into());
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic())
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
    {
        return Some(format!("{name:?} is not a bridge name such as vmbr0"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_parse_and_contain() {
        let net = Cidr::parse("10.0.0.5/24").unwrap();
        assert!(net.contains("10.0.0.1".parse().unwrap()));
        assert!(!net.contains("10.0.1.1".parse().unwrap()));
        assert!(Cidr::parse("10.0.0.5").is_err());
        assert!(Cidr::parse("10.0.0.5/33").is_err());
        assert!(Cidr::parse("10.0.0.300/24").is_err());
        let v6 = Cidr::parse("fd00::5/64").unwrap();
        assert!(v6.contains("fd00::1".parse().unwrap()));
        assert!(
            Cidr::parse("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
    }

    #[test]
    fn gateways() {
        let net = Cidr::parse("192.168.1.10/24").unwrap();
        assert_eq!(gateway_problem(&net, "192.168.1.1"), None);
        assert!(
            gateway_problem(&net, "192.168.2.1")
                .unwrap()
                .contains("outside")
        );
        assert!(gateway_problem(&net, "192.168.1.10").is_some());
        assert!(gateway_problem(&net, "fd00::1").is_some());
        assert!(gateway_problem(&net, "gw").is_some());
    }

    #[test]
    fn bridges() {
        assert_eq!(bridge_problem("vmbr0"), None);
        assert!(bridge_problem("").is_some());
        assert!(bridge_problem("0br").is_some());
        assert!(bridge_problem("vmbr0;x").is_some());
    }
}
