//! `Upid`: the id of a PVE worker task, parsed and formatted exactly as pve-common `UPID.pm`.
//!
//! Format (PVE-API.md §4.15): `UPID:<node>:<pid %08X>:<pstart %08X>:<starttime %08X>:<type>:<id>:<user>:`
//! with upper-case hex and a trailing colon. `pstart` may have 9 hex digits, `id` may be empty
//! and `user` may be a token id (`user@realm!token`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A parsed task id. It keeps the exact text it was parsed from, because the server finds the
/// task's log file by that text: the client sends back what it received, byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Upid {
    raw: String,
    node: String,
    pid: u32,
    pstart: u64,
    starttime: u32,
    worker_type: String,
    id: String,
    user: String,
}

/// Why a string is not a UPID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid UPID {text:?}: {reason}")]
pub struct UpidError {
    pub text: String,
    pub reason: &'static str,
}

impl Upid {
    /// Builds the canonical text from fields, as `fork_worker` does.
    pub fn new(
        node: &str,
        pid: u32,
        pstart: u64,
        starttime: u32,
        worker_type: &str,
        id: &str,
        user: &str,
    ) -> Result<Self, UpidError> {
        format!("UPID:{node}:{pid:08X}:{pstart:08X}:{starttime:08X}:{worker_type}:{id}:{user}:")
            .parse()
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }
    /// The node the task runs on: task status and log must be asked of this node.
    pub fn node(&self) -> &str {
        &self.node
    }
    pub fn pid(&self) -> u32 {
        self.pid
    }
    pub fn pstart(&self) -> u64 {
        self.pstart
    }
    /// Start time, seconds since the Unix epoch.
    pub fn starttime(&self) -> u32 {
        self.starttime
    }
    /// Task type, e.g. `vzcreate`, `vzstart`, `download`.
    pub fn worker_type(&self) -> &str {
        &self.worker_type
    }
    /// The object the task works on (a vmid, a template file name…); may be empty.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Who started it: `user@realm` or a token id `user@realm!token`.
    pub fn user(&self) -> &str {
        &self.user
    }
}

fn is_node_name(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: &u8| c.is_ascii_alphanumeric();
    match (b.first(), b.last()) {
        (Some(first), Some(last)) => {
            alnum(first) && alnum(last) && b.iter().all(|c| alnum(c) || *c == b'-')
        }
        _ => false,
    }
}

fn hex(field: &str, min: usize, max: usize, reason: &'static str) -> Result<u64, &'static str> {
    if field.len() < min || field.len() > max || !field.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Err(reason);
    }
    u64::from_str_radix(field, 16).map_err(|_| reason)
}

/// `[^:\s/]` from the server's regex; `:` cannot occur after splitting on it.
fn is_field(s: &str) -> bool {
    !s.chars().any(|c| c.is_whitespace() || c == '/')
}

fn parse_fields(s: &str) -> Result<Upid, &'static str> {
    let parts: Vec<&str> = s.split(':').collect();
    let [tag, node, pid, pstart, start, ty, id, user, end] = parts[..] else {
        return Err("expected 9 ':'-separated fields");
    };
    if tag != "UPID" {
        return Err("does not start with 'UPID:'");
    }
    if !end.is_empty() {
        return Err("missing the trailing ':'");
    }
    if !is_node_name(node) {
        return Err("bad node name");
    }
    let pid = hex(pid, 8, 8, "pid is not 8 hex digits")?;
    let pstart = hex(pstart, 8, 9, "pstart is not 8 or 9 hex digits")?;
    let starttime = hex(start, 8, 8, "starttime is not 8 hex digits")?;
    if ty.is_empty() || !is_field(ty) {
        return Err("bad task type");
    }
    if !is_field(id) {
        return Err("bad task id");
    }
    if user.is_empty() || !is_field(user) {
        return Err("bad user");
    }
    Ok(Upid {
        raw: s.to_owned(),
        node: node.to_owned(),
        pid: u32::try_from(pid).map_err(|_| "pid out of range")?,
        pstart,
        starttime: u32::try_from(starttime).map_err(|_| "starttime out of range")?,
        worker_type: ty.to_owned(),
        id: id.to_owned(),
        user: user.to_owned(),
    })
}

impl FromStr for Upid {
    type Err = UpidError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_fields(s).map_err(|reason| UpidError {
            text: s.to_owned(),
            reason,
        })
    }
}

impl fmt::Display for Upid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl Serialize for Upid {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for Upid {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Shapes from PVE-API.md §4.15 (create by root, an empty id, a token user, a 9-digit pstart).
    const EXAMPLES: &[&str] = &[
        "UPID:pve:000F3A2C:0052C1B4:66A1F0C3:vzcreate:100:root@pam:",
        "UPID:pve:00001234:00ABCDEF:66A1F0C3:imgcopy::root@pam:",
        "UPID:pve-node-2:0001E240:1ABCDEF01:6A000000:vzcreate:105:dash@pve!prov:",
        "UPID:pve:00002F9E:0000D56E:5A9E9B2F:download:debian-12-standard_12.12-1_amd64.tar.zst:root@pam:",
    ];

    #[test]
    fn real_shapes_round_trip() {
        for text in EXAMPLES {
            let upid: Upid = text.parse().unwrap();
            assert_eq!(upid.to_string(), *text);
            let rebuilt = Upid::new(
                upid.node(),
                upid.pid(),
                upid.pstart(),
                upid.starttime(),
                upid.worker_type(),
                upid.id(),
                upid.user(),
            )
            .unwrap();
            assert_eq!(rebuilt.as_str(), *text, "canonical formatting matches");
        }
    }

    #[test]
    fn fields_are_decoded() {
        let upid: Upid = EXAMPLES[2].parse().unwrap();
        assert_eq!(upid.node(), "pve-node-2");
        assert_eq!(upid.pid(), 0x1E240);
        assert_eq!(upid.pstart(), 0x1_ABCD_EF01);
        assert_eq!(upid.starttime(), 0x6A00_0000);
        assert_eq!(upid.worker_type(), "vzcreate");
        assert_eq!(upid.id(), "105");
        assert_eq!(upid.user(), "dash@pve!prov");
        let empty: Upid = EXAMPLES[1].parse().unwrap();
        assert_eq!(empty.id(), "");
    }

    #[test]
    fn formats_upper_case_zero_padded_hex() {
        let upid = Upid::new(
            "pve",
            0x2f9e,
            0xd56e,
            0x5a9e_9b2f,
            "vzstart",
            "100",
            "root@pam",
        )
        .unwrap();
        assert_eq!(
            upid.as_str(),
            "UPID:pve:00002F9E:0000D56E:5A9E9B2F:vzstart:100:root@pam:"
        );
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "UPID:pve:000F3A2C:0052C1B4:66A1F0C3:vzcreate:100:root@pam", // no trailing colon
            "UPIX:pve:000F3A2C:0052C1B4:66A1F0C3:vzcreate:100:root@pam:",
            "UPID:-pve:000F3A2C:0052C1B4:66A1F0C3:vzcreate:100:root@pam:",
            "UPID:pve:F3A2C:0052C1B4:66A1F0C3:vzcreate:100:root@pam:",
            "UPID:pve:000F3A2C:0052C1B4:66A1F0C3::100:root@pam:",
            "UPID:pve:000F3A2C:0052C1B4:66A1F0C3:vzcreate:100::",
            "UPID:pve:000F3A2C:0052C1B4:66A1F0C3:vz create:100:root@pam:",
            "UPID:pve:000F3A2C:0052C1B4:66A1F0C3:vzcreate:a/b:root@pam:",
            "UPID:pve:000F3A2G:0052C1B4:66A1F0C3:vzcreate:100:root@pam:",
        ] {
            assert!(bad.parse::<Upid>().is_err(), "{bad}");
        }
    }

    #[test]
    fn serde_uses_the_text() {
        let upid: Upid = serde_json::from_str(&format!("\"{}\"", EXAMPLES[0])).unwrap();
        assert_eq!(
            serde_json::to_string(&upid).unwrap(),
            format!("\"{}\"", EXAMPLES[0])
        );
    }
}
