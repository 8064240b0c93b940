//! The local address of the SSH connection that sshd is checking keys for. OpenSSH 9.2 gives
//! `AuthorizedKeysCommand` no token for it (`%C` came later), but the command's parent, sshd's
//! monitor for that connection, holds the connection's socket: its local address is in
//! /proc/net/tcp{,6} under the socket's inode.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The local address of the established TCP connection the parent process holds.
pub fn parent_local_address() -> Option<IpAddr> {
    let parent = std::os::unix::process::parent_id();
    let inodes: HashSet<String> = std::fs::read_dir(format!("/proc/{parent}/fd"))
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter_map(|target| {
            let target = target.to_string_lossy().into_owned();
            Some(
                target
                    .strip_prefix("socket:[")?
                    .strip_suffix(']')?
                    .to_string(),
            )
        })
        .collect();
    ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .find_map(|table| {
            let text = std::fs::read_to_string(table).ok()?;
            text.lines().skip(1).find_map(|line| {
                let fields: Vec<&str> = line.split_whitespace().collect();
                // sl local rem st tx:rx tr:when retrnsmt uid timeout inode; 01 = ESTABLISHED.
                let established = fields.get(3) == Some(&"01");
                let ours = fields.get(9).is_some_and(|inode| inodes.contains(*inode));
                (established && ours)
                    .then(|| decode(fields.get(1)?.split(':').next()?))
                    .flatten()
            })
        })
}

/// An address as the kernel prints it: the raw network-order words as native-endian hex.
fn decode(hex: &str) -> Option<IpAddr> {
    let word = |i: usize| {
        u32::from_str_radix(hex.get(i * 8..i * 8 + 8)?, 16)
            .ok()
            .map(u32::to_ne_bytes)
    };
    match hex.len() {
        8 => Some(IpAddr::V4(Ipv4Addr::from(word(0)?))),
        32 => {
            let mut bytes = [0u8; 16];
            for i in 0..4 {
                bytes[i * 4..i * 4 + 4].copy_from_slice(&word(i)?);
            }
            let v6 = Ipv6Addr::from(bytes);
            Some(v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_kernel_hex() {
        let local = u32::from_ne_bytes([127, 64, 0, 102]);
        assert_eq!(
            decode(&format!("{local:08X}")),
            Some(IpAddr::V4(Ipv4Addr::new(127, 64, 0, 102)))
        );
    }
}
