//! Saving and loading the simulator's state file (JSON, written atomically).

use std::path::Path;

use anyhow::Context as _;

use super::SimState;

/// Writes the state next to its destination and renames it over, so a crash never leaves half a file.
pub fn save(path: &Path, state: &SimState) -> anyhow::Result<()> {
    let json = serde_json::to_vec_pretty(state).context("serialising state")?;
    let tmp = path.with_extension("tmp");
    {
        use std::io::Write as _;
        let mut file =
            std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        file.write_all(&json)?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path).with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}

/// Loads a saved state; `None` when the file does not exist yet.
pub fn load(path: &Path) -> anyhow::Result<Option<SimState>> {
    match std::fs::read(path) {
        Ok(bytes) => {
            Ok(Some(serde_json::from_slice(&bytes).with_context(|| {
                format!("parsing state file {}", path.display())
            })?))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}
