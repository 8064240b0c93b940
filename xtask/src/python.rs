//! A private Python virtualenv for the independent API checks (proxmoxer), kept in `.berth/venv`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use crate::paths::Paths;
use crate::{apt, cmd};

/// The venv's `bin/` with the packages of `requirements` installed (only when they changed).
pub fn venv(paths: &Paths, requirements: &Path) -> Result<PathBuf> {
    let dir = paths.repo.join(".berth").join("venv");
    let bin = dir.join("bin");
    if !cmd::is_executable(&bin.join("python")) {
        if !cmd::succeeds(Command::new("python3").args(["-m", "venv", "--help"])) {
            // Debian splits venv (and ensurepip) out of python3.
            apt::ensure_packages(&["python3", "python3-venv"])?;
        }
        cmd::run(Command::new("python3").args(["-m", "venv"]).arg(&dir))
            .context("cannot create the Python virtualenv")?;
        println!("installed: {} (python3 -m venv)", paths.display(&dir));
    }
    let wanted = std::fs::read_to_string(requirements)
        .with_context(|| format!("cannot read {}", requirements.display()))?;
    let stamp = dir.join(".berth-requirements");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        let mut pip = Command::new(bin.join("pip"));
        pip.args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(requirements);
        cmd::run(&mut pip)?;
        std::fs::write(&stamp, &wanted)
            .with_context(|| format!("cannot write {}", stamp.display()))?;
        println!(
            "installed: {} into the virtualenv",
            paths.display(requirements)
        );
    }
    Ok(bin)
}
