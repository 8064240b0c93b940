//! The manifest written beside every dump (`<dump>.manifest.json`): what made it, when, at which
//! schema version, and the dump's SHA-256, so a restore can refuse a damaged or too-new backup.

use anyhow::{Context as _, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

pub const FORMAT: &str = "berth-backup/1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    /// The Berth version that wrote it.
    pub berth_version: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// The newest migration applied to the database when it was dumped (e.g. `20261130000003`).
    pub schema_version: String,
    /// The database's name (never its URL: that may hold a password).
    pub database: String,
    pub dump_bytes: u64,
    pub dump_sha256: String,
}

/// `berth-2026-11-30T20-05-00Z.dump` → `berth-2026-11-30T20-05-00Z.dump.manifest.json`.
pub fn path_for(dump: &Path) -> PathBuf {
    let mut name = dump.as_os_str().to_owned();
    name.push(".manifest.json");
    PathBuf::from(name)
}

pub fn read(dump: &Path) -> anyhow::Result<Manifest> {
    let path = path_for(dump);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read the backup's manifest {}", path.display()))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a Berth backup manifest", path.display()))?;
    if manifest.format != FORMAT {
        bail!(
            "{} is in format {:?}; this Berth reads {FORMAT:?}",
            path.display(),
            manifest.format
        );
    }
    Ok(manifest)
}

pub fn write(dump: &Path, manifest: &Manifest) -> anyhow::Result<()> {
    let path = path_for(dump);
    let text = serde_json::to_string_pretty(manifest)?;
    std::fs::write(&path, text + "\n").with_context(|| format!("cannot write {}", path.display()))
}

/// The file's size and SHA-256 (hex), read in blocks.
pub fn digest(path: &Path) -> anyhow::Result<(u64, String)> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut block = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let read = file.read(&mut block)?;
        if read == 0 {
            break;
        }
        hasher.update(&block[..read]);
        bytes += read as u64;
    }
    let hex = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((bytes, hex))
}
