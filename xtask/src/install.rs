//! Installs what the tasks need, once: Debian packages, end2end's npm packages, cargo tools.

use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use anyhow::{Context, Result};

use crate::paths::Paths;
use crate::{apt, cmd, lockfile, postgres};

/// Which groups of tools a task needs.
#[derive(Debug, Clone, Copy)]
pub struct Needs {
    /// Postgres and Redis servers (not for `build`).
    pub services: bool,
    /// The wasm-bindgen CLI and wasm-opt (not for `services`).
    pub site: bool,
    /// Chromium, shellcheck, bats, jq, the filesystem tools of infra's suites and cargo-nextest:
    /// only `test` uses them.
    pub test_tools: bool,
    /// bubblewrap and openssh-server: berth-pve-sim's sandboxes and the sshd in front of them
    /// (its `--ssh`, berth-testkit's SshServer), for `test` and, as root, `dev`.
    pub sandboxes: bool,
}

/// Installs whatever is missing; prints one line per thing installed and nothing otherwise.
pub fn ensure(paths: &Paths, needs: Needs) -> Result<()> {
    let mut packages = Vec::new();
    if needs.services && postgres::bin_dir().is_none() {
        packages.push("postgresql");
    }
    let tools = [
        ("redis-server", "redis-server", needs.services),
        // jemalloc, berth-server's allocator, is built from C sources by its configure script.
        ("make", "make", true),
        ("node", "nodejs", true),
        ("npm", "npm", true),
        ("chromium", "chromium", needs.test_tools),
        ("shellcheck", "shellcheck", needs.test_tools),
        ("bats", "bats", needs.test_tools),
        ("jq", "jq", needs.test_tools),
        ("bwrap", "bubblewrap", needs.sandboxes),
    ];
    for (binary, package, wanted) in tools {
        if wanted && cmd::which(binary).is_none() && !packages.contains(&package) {
            packages.push(package);
        }
    }
    // The snapshot suites of infra/ build real btrfs and LVM thin filesystems on loop devices,
    // which only root can; as anyone else they skip, so these are not needed. Their commands
    // live in sbin, outside many users' PATH: dpkg is asked instead.
    if needs.test_tools && cmd::is_root() {
        for package in ["btrfs-progs", "lvm2", "thin-provisioning-tools"] {
            if !apt::installed(package) {
                packages.push(package);
            }
        }
    }
    // The sandboxes' sshd is /usr/sbin/sshd, also outside many users' PATH.
    if needs.sandboxes && !apt::installed("openssh-server") {
        packages.push("openssh-server");
    }
    apt::install(&packages)?;
    npm_ci(paths)?;
    // Before the first build there may be no lockfile (or no wasm-bindgen in it) yet: the site
    // build checks again after cargo.
    let lock = std::fs::read_to_string(paths.repo.join("Cargo.lock")).unwrap_or_default();
    if needs.site && lockfile::version_of(&lock, "wasm-bindgen").is_some() {
        wasm_bindgen(paths)?;
    }
    if needs.test_tools {
        nextest()?;
    }
    Ok(())
}

/// `npm ci` in end2end/ when node_modules is missing or older than package-lock.json.
fn npm_ci(paths: &Paths) -> Result<()> {
    let dir = paths.end2end();
    let lock = dir.join("package-lock.json");
    if !lock.exists() {
        if dir.join("package.json").exists() {
            eprintln!("warning: end2end/package-lock.json is missing; skipping `npm ci`");
        }
        return Ok(());
    }
    let stamp = dir.join("node_modules").join(".berth-npm-ci");
    if modified(&stamp).is_some_and(|done| modified(&lock).is_some_and(|lock| done >= lock)) {
        return Ok(());
    }
    let mut npm = Command::new("npm");
    npm.args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir);
    cmd::run(&mut npm)?;
    std::fs::write(
        &stamp,
        b"npm ci done; compared with package-lock.json's mtime\n",
    )
    .with_context(|| format!("cannot write {}", stamp.display()))?;
    println!("installed: end2end/node_modules (npm ci)");
    Ok(())
}

fn modified(path: &Path) -> Option<SystemTime> {
    path.metadata().and_then(|m| m.modified()).ok()
}

/// The wasm-bindgen CLI at exactly the version Cargo.lock has for the crate.
pub fn wasm_bindgen(paths: &Paths) -> Result<()> {
    let lock_path = paths.repo.join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path)
        .with_context(|| format!("cannot read {}", lock_path.display()))?;
    let version = lockfile::version_of(&lock, "wasm-bindgen")
        .context("Cargo.lock has no `wasm-bindgen` package")?;
    if cargo_tool_at("wasm-bindgen", &version).is_some() {
        return Ok(());
    }
    println!("installing wasm-bindgen-cli {version} (takes a few minutes)…");
    // Not --locked: the CLI's own lockfile wants a crate version the registry here lacks.
    let mut install = cmd::cargo();
    install.args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &version,
        "--force",
    ]);
    cmd::run(&mut install)?;
    println!("installed: wasm-bindgen-cli {version} (cargo install)");
    Ok(())
}

fn nextest() -> Result<()> {
    if cmd::succeeds(cmd::cargo().args(["nextest", "--version"])) {
        return Ok(());
    }
    println!("installing cargo-nextest (takes a few minutes)…");
    cmd::run(cmd::cargo().args(["install", "cargo-nextest", "--locked"]))?;
    println!("installed: cargo-nextest (cargo install)");
    Ok(())
}

/// The fixed-rate load generator of the SSR bench, at the version whose JSON report it reads.
pub fn oha() -> Result<std::path::PathBuf> {
    const VERSION: &str = "1.16.0";
    if let Some(tool) = cargo_tool_at("oha", VERSION) {
        return Ok(tool);
    }
    println!("installing oha {VERSION} (takes a few minutes)…");
    cmd::run(cmd::cargo().args([
        "install",
        "oha",
        "--version",
        VERSION,
        "--locked",
        "--force",
    ]))?;
    println!("installed: oha {VERSION} (cargo install)");
    cargo_tool_at("oha", VERSION).with_context(|| {
        format!("`cargo install oha` left no `oha` {VERSION} on PATH or in cargo's bin")
    })
}

/// The cargo-installed tool `name` if it is at `version`: both print `<name> <version>` for
/// `--version`.
fn cargo_tool_at(name: &str, version: &str) -> Option<std::path::PathBuf> {
    let tool = cmd::which_cargo_tool(name)?;
    let out = cmd::output(Command::new(&tool).arg("--version"))?;
    (out.split_whitespace().nth(1) == Some(version)).then_some(tool)
}
