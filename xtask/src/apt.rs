//! Debian packages: find what is missing, `apt-get update` once per run, install without prompts.

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Result, bail};

use crate::cmd;

static UPDATED: AtomicBool = AtomicBool::new(false);

/// Installs the given packages unless dpkg already has them all.
pub fn ensure_packages(packages: &[&str]) -> Result<()> {
    let missing: Vec<&str> = packages.iter().copied().filter(|p| !installed(p)).collect();
    install(&missing)
}

/// Whether dpkg knows the package as installed.
pub fn installed(package: &str) -> bool {
    cmd::output(Command::new("dpkg-query").args(["-W", "-f=${Status}", package]))
        .is_some_and(|status| status.trim_end().ends_with(" installed"))
}

/// `apt-get install` as root, or through `sudo -n`; never prompts.
pub fn install(packages: &[&str]) -> Result<()> {
    if packages.is_empty() {
        return Ok(());
    }
    let list = packages.join(" ");
    let sudo = if cmd::is_root() {
        false
    } else if cmd::which("sudo").is_some()
        && cmd::succeeds(Command::new("sudo").args(["-n", "true"]))
    {
        true
    } else {
        bail!(
            "missing Debian packages: {list}\n  install them with: \
             sudo apt-get update && sudo apt-get install -y --no-install-recommends {list}"
        );
    };
    let apt = |args: &[&str]| {
        let mut command = if sudo {
            Command::new("sudo")
        } else {
            Command::new("apt-get")
        };
        if sudo {
            command.args(["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        }
        command.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        command
    };
    if !UPDATED.swap(true, Ordering::SeqCst) {
        cmd::run(&mut apt(&["update", "-q"]))?;
    }
    let mut command = apt(&["install", "-y", "-q", "--no-install-recommends"]);
    command.args(packages);
    cmd::run(&mut command)?;
    for package in packages {
        println!("installed: {package} (apt)");
    }
    Ok(())
}
