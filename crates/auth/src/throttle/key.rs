//! What a failure is counted against: a normalised account name and a source-address block.

use crate::random::hex;
use sha2::{Digest, Sha256};
use std::net::{IpAddr, Ipv6Addr};

/// The form of an account name that counters are keyed by: trimmed and lowercased, so `Alice`,
/// `alice` and ` ALICE ` share one counter.
pub fn normalise_account(account: &str) -> String {
    account.trim().to_lowercase()
}

/// The Redis key part for an account: a hash, so arbitrary input (long, odd characters) makes a
/// fixed-size key and usernames do not sit in Redis in clear.
pub(crate) fn account_part(account: &str) -> String {
    hex(&Sha256::digest(normalise_account(account).as_bytes()))
}

/// The Redis key part for a source address. IPv6 is counted per /64, the block one subscriber
/// typically gets (per-address counting would be trivially evaded there); an IPv4-mapped IPv6
/// address counts as the IPv4 address.
pub(crate) fn ip_part(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let [a, b, c, d, ..] = v6.segments();
                format!("{}/64", Ipv6Addr::new(a, b, c, d, 0, 0, 0, 0))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_case_and_spaces_do_not_matter() {
        assert_eq!(normalise_account("  Alice "), "alice");
        assert_eq!(account_part("Alice"), account_part(" alice"));
        assert_ne!(account_part("alice"), account_part("bob"));
        assert_eq!(account_part("alice").len(), 64);
    }

    #[test]
    fn ipv6_counts_per_64_and_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(ip_part(a), "2001:db8:1:2::/64");
        assert_eq!(ip_part(a), ip_part(b));
        assert_ne!(ip_part(a), ip_part(other));
        assert_eq!(ip_part("::ffff:192.0.2.7".parse().unwrap()), "192.0.2.7");
        assert_eq!(ip_part("192.0.2.7".parse().unwrap()), "192.0.2.7");
    }
}
