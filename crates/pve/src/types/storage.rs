//! Responses of the storage and appliance-template endpoints (PVE-API.md §4.14).

use crate::perl;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeSet;

/// One entry of `GET /nodes/{node}/storage`. Inactive storages have no totals.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StorageInfo {
    pub storage: String,
    /// `dir`, `lvmthin`, `zfspool`, `nfs`…
    #[serde(rename = "type")]
    pub kind: String,
    /// Content types; the server's order is random, so a set.
    #[serde(default, deserialize_with = "content_set")]
    pub content: BTreeSet<String>,
    #[serde(default, deserialize_with = "perl::boolean")]
    pub shared: bool,
    #[serde(default, deserialize_with = "perl::boolean")]
    pub enabled: bool,
    #[serde(default, deserialize_with = "perl::boolean")]
    pub active: bool,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub total: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub used: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub avail: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_float")]
    pub used_fraction: Option<f64>,
}

fn content_set<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeSet<String>, D::Error> {
    let s = Option::<String>::deserialize(d)?.unwrap_or_default();
    Ok(s.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect())
}

/// One entry of `GET /nodes/{node}/storage/{storage}/content`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StorageContentItem {
    /// e.g. `local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst`.
    pub volid: String,
    /// `vztmpl`, `iso`, `rootdir`, `images`, `backup`…
    pub content: String,
    /// For templates: `tzst`, `tgz`, `txz`, `tbz2` or `tar`.
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub size: Option<u64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub ctime: Option<i64>,
    #[serde(default, deserialize_with = "perl::opt_int")]
    pub vmid: Option<u32>,
}

/// One entry of `GET /nodes/{node}/aplinfo`: a downloadable appliance template.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AplInfoItem {
    /// e.g. `debian-12-standard`.
    pub package: String,
    /// e.g. `12.12-1`.
    pub version: String,
    /// The file name to pass to the download call, e.g. `debian-12-standard_12.12-1_amd64.tar.zst`.
    pub template: String,
    /// `lxc`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub os: Option<String>,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub headline: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub architecture: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub sha512sum: Option<String>,
    #[serde(default)]
    pub md5sum: Option<String>,
    #[serde(default)]
    pub maintainer: Option<String>,
    #[serde(default)]
    pub infopage: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_content_is_a_set_and_flags_are_lenient() {
        let json = r#"{"storage":"local-lvm","type":"lvmthin","content":"rootdir,images",
            "shared":0,"enabled":1,"active":"1","total":100,"used":"12","avail":88,
            "used_fraction":0.12}"#;
        let s: StorageInfo = serde_json::from_str(json).unwrap();
        assert_eq!(
            s.content,
            BTreeSet::from(["images".to_owned(), "rootdir".to_owned()])
        );
        assert!(!s.shared && s.enabled && s.active);
        assert_eq!(s.used, Some(12));
        let inactive: StorageInfo =
            serde_json::from_str(r#"{"storage":"nfs1","type":"nfs","content":"vztmpl"}"#).unwrap();
        assert_eq!(inactive.total, None);
        assert!(!inactive.active);
    }

    #[test]
    fn template_content_item() {
        let json = r#"{"volid":"local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst",
            "content":"vztmpl","format":"tzst","size":123456,"ctime":1700000000}"#;
        let c: StorageContentItem = serde_json::from_str(json).unwrap();
        assert_eq!(c.format.as_deref(), Some("tzst"));
        assert_eq!(c.ctime, Some(1_700_000_000));
    }
}
