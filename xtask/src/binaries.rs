//! Native builds of `berth-server`, `berth-worker` and `berth-pve-sim`, and the `build` task.

use std::path::PathBuf;

use anyhow::Result;

use crate::args::Args;
use crate::install::{self, Needs};
use crate::paths::Paths;
use crate::{cmd, route, site};

/// Paths of the two binaries a profile produces.
#[derive(Debug, Clone)]
pub struct Binaries {
    pub server: PathBuf,
    pub worker: PathBuf,
    pub pve_sim: PathBuf,
}

/// Which cargo invocation builds the binaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Just the three binaries: the quickest for `dev` and `build`.
    Binaries,
    /// The same packages and targets as the `tests` stage, so cargo's feature resolution matches
    /// nextest's and the binaries it already built are reused instead of rebuilt.
    LikeTests,
}

/// Builds `berth-server` and `berth-worker` in the dev or release profile.
pub fn build(paths: &Paths, release: bool, scope: Scope) -> Result<Binaries> {
    let mut cargo = cmd::cargo();
    match scope {
        Scope::Binaries => cargo.args([
            "build",
            "-p",
            "server",
            "-p",
            "worker",
            "-p",
            "berth-pve-sim",
        ]),
        Scope::LikeTests => cargo.args([
            "build",
            "--workspace",
            "--exclude",
            "frontend",
            "--all-targets",
        ]),
    };
    if release {
        cargo.arg("--release");
    }
    cmd::run(&mut cargo)?;
    Ok(Binaries {
        server: paths.binary("berth-server", release),
        worker: paths.binary("berth-worker", release),
        pve_sim: paths.binary("berth-pve-sim", release),
    })
}

/// `cargo xtask build`: the site and both binaries.
pub fn task(paths: &Paths, args: &Args) -> Result<()> {
    install::ensure(
        paths,
        Needs {
            services: false,
            site: true,
            test_tools: false,
            sandboxes: false,
        },
    )?;
    let route = route::resolve(args.route)?;
    site::build(paths, route)?;
    let built = build(paths, args.release, Scope::Binaries)?;
    println!("built: {}", paths.display(&built.server));
    println!("built: {}", paths.display(&built.worker));
    println!("built: {}", paths.display(&built.pve_sim));
    Ok(())
}
