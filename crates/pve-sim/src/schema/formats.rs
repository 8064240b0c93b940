//! Named formats of the PVE schema (implemented in Perl, so absent from the API dump).
//!
//! Texts are those of pve-common `JSONSchema.pm` and pve-storage; the `invalid format - ` prefix
//! and the trailing newline are added by the validator.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

use regex::Regex;

/// A named format, as the schema's `format: "pve-vmid"` refers to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    VmId,
    NodeName,
    DnsName,
    DnsNameList,
    TagList,
    StorageId,
    PoolId,
    Ipv4,
    Ipv6,
    Ipv4Config,
    Ipv6Config,
    IpList,
    MacAddr,
    DiskSize,
    ConfigId,
    StartupOrder,
    VolumeId,
    /// Formats the simulator accepts as any non-empty string (timezone, mount-point volume).
    Lenient,
}

fn re(pattern: &str) -> Regex {
    // The patterns below are constants; an invalid one is a programming error caught by tests.
    Regex::new(pattern).unwrap_or_else(|e| panic!("invalid built-in pattern {pattern}: {e}"))
}

static VMID: LazyLock<Regex> = LazyLock::new(|| re(r"^[1-9][0-9]{2,8}$"));
static NODE: LazyLock<Regex> = LazyLock::new(|| re(r"^[a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?$"));
static DNS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^[a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?)*$")
});
static TAG: LazyLock<Regex> = LazyLock::new(|| re(r"^(?i)[a-z0-9_][a-z0-9_\-+.]*$"));
static STORAGE: LazyLock<Regex> = LazyLock::new(|| re(r"^(?i)[a-z][a-z0-9\-_.]*[a-z0-9]$"));
static POOL: LazyLock<Regex> = LazyLock::new(|| re(r"^[A-Za-z0-9_\-]+$"));
static MAC: LazyLock<Regex> = LazyLock::new(|| re(r"^(?i)[a-f0-9][02468ace](?::[a-f0-9]{2}){5}$"));
static SIZE: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d+(\.\d+)?)([KMGT])?$"));
static CONFIGID: LazyLock<Regex> = LazyLock::new(|| re(r"^(?i)[a-z][a-z0-9_-]+$"));
static STARTUP: LazyLock<Regex> = LazyLock::new(|| re(r"^((order=)?\d+)?(,?(up|down)=\d+)*$"));
static VOLID: LazyLock<Regex> = LazyLock::new(|| re(r"^(?i)([a-z][a-z0-9\-_.]*[a-z0-9]):(.+)$"));

impl Named {
    /// Checks a value; the error is the text after `invalid format - `.
    pub fn check(self, v: &str) -> Result<(), String> {
        let ok = match self {
            Named::VmId => VMID.is_match(v),
            Named::NodeName => NODE.is_match(v),
            Named::DnsName => DNS.is_match(v),
            Named::DnsNameList => v
                .split([' ', ',', ';'])
                .filter(|s| !s.is_empty())
                .all(|s| DNS.is_match(s)),
            Named::TagList => v
                .split([';', ',', ' '])
                .filter(|s| !s.is_empty())
                .all(|t| TAG.is_match(t)),
            Named::StorageId => STORAGE.is_match(v),
            Named::PoolId => POOL.is_match(v),
            Named::Ipv4 => v.parse::<Ipv4Addr>().is_ok(),
            Named::Ipv6 => v.parse::<Ipv6Addr>().is_ok(),
            Named::Ipv4Config => matches!(v, "dhcp" | "manual") || cidr4(v),
            Named::Ipv6Config => matches!(v, "auto" | "dhcp" | "manual") || cidr6(v),
            Named::IpList => v.split([' ', ',', ';']).filter(|s| !s.is_empty()).all(|s| {
                s.split('%')
                    .next()
                    .is_some_and(|ip| ip.parse::<std::net::IpAddr>().is_ok())
            }),
            Named::MacAddr => MAC.is_match(v),
            Named::DiskSize => SIZE.is_match(v),
            Named::ConfigId => CONFIGID.is_match(v),
            Named::StartupOrder => STARTUP.is_match(v),
            Named::VolumeId => VOLID.is_match(v),
            Named::Lenient => !v.is_empty(),
        };
        if ok {
            return Ok(());
        }
        Err(match self {
            Named::VmId => "value does not look like a valid VM ID".into(),
            Named::NodeName => "value does not look like a valid node name".into(),
            Named::DnsName | Named::DnsNameList => {
                "value does not look like a valid DNS name".into()
            }
            Named::TagList => "invalid characters in tag".into(),
            Named::StorageId => format!("storage ID '{v}' contains illegal characters"),
            Named::PoolId => format!("invalid pool ID '{v}'"),
            Named::Ipv4 => "value does not look like a valid IPv4 address".into(),
            Named::Ipv6 => "value does not look like a valid IPv6 address".into(),
            Named::Ipv4Config => {
                "value does not look like a valid ipv4 network configuration".into()
            }
            Named::Ipv6Config => {
                "value does not look like a valid ipv6 network configuration".into()
            }
            Named::IpList => "value does not look like a valid IP address".into(),
            Named::MacAddr => "value does not look like a valid unicast MAC address".into(),
            Named::DiskSize => format!("value '{v}' does not look like a valid disk size"),
            Named::ConfigId => format!("invalid configuration ID '{v}'"),
            Named::StartupOrder => "unable to parse startup options".into(),
            Named::VolumeId => format!("unable to parse volume ID '{v}'"),
            Named::Lenient => "value is empty".into(),
        })
    }
}

fn cidr4(v: &str) -> bool {
    v.split_once('/').is_some_and(|(ip, len)| {
        ip.parse::<Ipv4Addr>().is_ok() && len.parse::<u8>().is_ok_and(|l| (1..=32).contains(&l))
    })
}

fn cidr6(v: &str) -> bool {
    v.split_once('/').is_some_and(|(ip, len)| {
        ip.parse::<Ipv6Addr>().is_ok() && len.parse::<u8>().is_ok_and(|l| (1..=128).contains(&l))
    })
}

/// Parses a disk size (`8`, `8G`, `512M`, `0.5`) into bytes; a bare number means GiB.
pub fn disk_size_bytes(v: &str) -> Option<u64> {
    let caps = SIZE.captures(v)?;
    let n: f64 = caps.get(1)?.as_str().parse().ok()?;
    let mult = match caps.get(3).map(|m| m.as_str()) {
        Some("K") => 1u64 << 10,
        Some("M") => 1 << 20,
        Some("T") => 1 << 40,
        _ => 1 << 30,
    };
    Some((n * mult as f64) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(Named::VmId.check("100").is_ok());
        assert!(Named::VmId.check("0100").is_err());
        assert!(Named::VmId.check("1000000000").is_err());
        assert!(Named::DnsName.check("bad_name").is_err());
        assert!(Named::DnsName.check("-bad").is_err());
        assert!(Named::DnsName.check("web-1.example.org").is_ok());
        assert!(Named::TagList.check("web;prod,a b").is_ok());
        assert!(Named::TagList.check("bad!tag").is_err());
        assert!(Named::Ipv4Config.check("10.0.0.5").is_err());
        assert!(Named::Ipv4Config.check("10.0.0.5/24").is_ok());
        assert!(Named::MacAddr.check("BC:24:11:2E:C5:7E").is_ok());
        assert!(Named::MacAddr.check("01:24:11:2E:C5:7E").is_err());
        assert_eq!(disk_size_bytes("8"), Some(8 << 30));
        assert_eq!(disk_size_bytes("512M"), Some(512 << 20));
    }
}
