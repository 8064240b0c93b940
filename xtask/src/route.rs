//! Which toolchain builds the wasm: rustup's wasm32 target, or Debian's Rust with build-std.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Result, bail};

use crate::{apt, cmd};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The flags of the bundle build: those of `[target.wasm32-unknown-unknown]` in
/// .cargo/config.toml (which this replaces), then two that shrink the first load by about 6 KB
/// brotli and need RUSTC_BOOTSTRAP: panic messages without file/line/column, and derived
/// `Debug` printing type names only. Hand-written `Debug` impls are kept, so the validation
/// messages that quote input with `{:?}` read the same in the browser as on the server.
pub const WASM_RUSTFLAGS: &[&str] = &[
    "--cfg",
    "erase_components",
    "-C",
    "link-arg=--emit-relocs",
    "-Zlocation-detail=none",
    "-Zfmt-debug=shallow",
];
/// Debian's rustc 1.96 + std sources + the linker its `rust-lld` points at (see TOOLCHAIN.md).
pub const DEBIAN_PACKAGES: &[&str] = &[
    "rustc-web",
    "cargo-web",
    "rust-web-src",
    "rust-web-llvm",
    "lld-22",
];

/// What the user asked for (`--wasm-route` / `BERTH_WASM_ROUTE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteChoice {
    Auto,
    Rustup,
    Debian,
}

impl RouteChoice {
    pub fn parse(value: &str) -> Result<Self> {
        Ok(match value {
            "auto" => Self::Auto,
            "rustup" => Self::Rustup,
            "debian" => Self::Debian,
            other => bail!("unknown wasm route `{other}` (expected auto, rustup or debian)"),
        })
    }
}

/// The route in use, ready to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Rustup,
    Debian,
}

/// The pure decision: `installed` is "rustup already has the target", `add` tries to add it.
pub fn decide(choice: RouteChoice, installed: bool, add: impl FnOnce() -> bool) -> (Route, String) {
    match choice {
        RouteChoice::Debian => (
            Route::Debian,
            "forced by --wasm-route/BERTH_WASM_ROUTE".into(),
        ),
        _ if installed => (Route::Rustup, format!("rustup has {WASM_TARGET}")),
        RouteChoice::Rustup => (Route::Rustup, "forced; adding the rustup target".into()),
        RouteChoice::Auto if add() => (Route::Rustup, format!("added {WASM_TARGET} with rustup")),
        RouteChoice::Auto => (
            Route::Debian,
            format!("rustup cannot provide {WASM_TARGET}"),
        ),
    }
}

/// Chooses the route, installing what it needs (rustup target or Debian packages), and says why.
pub fn resolve(choice: RouteChoice) -> Result<Route> {
    let has_rustup = cmd::which("rustup").is_some();
    let installed = has_rustup && choice != RouteChoice::Debian && rustup_has_target();
    let mut tried = false;
    let (route, why) = decide(choice, installed, || {
        tried = true;
        has_rustup && rustup_add_target()
    });
    match route {
        Route::Rustup if !installed && !tried => {
            if !(has_rustup && rustup_add_target()) {
                bail!(
                    "`rustup target add {WASM_TARGET}` failed and --wasm-route rustup was forced"
                );
            }
        }
        Route::Debian => apt::ensure_packages(DEBIAN_PACKAGES)?,
        Route::Rustup => {}
    }
    println!("wasm route: {} ({why})", route.name());
    Ok(route)
}

fn rustup_has_target() -> bool {
    cmd::output(Command::new("rustup").args(["target", "list", "--installed"]))
        .is_some_and(|out| out.lines().any(|line| line.trim() == WASM_TARGET))
}

fn rustup_add_target() -> bool {
    // The machine docs say toolchain downloads may hang or fail: bound it and fall back.
    cmd::succeeds(Command::new("timeout").args(["120", "rustup", "target", "add", WASM_TARGET]))
}

impl Route {
    pub fn name(self) -> &'static str {
        match self {
            Self::Rustup => "rustup",
            Self::Debian => "debian",
        }
    }

    /// Where this route's wasm build puts its artifacts. Never the server's target dir: the
    /// wasm build runs with RUSTC_BOOTSTRAP, which would make the two builds rebuild each
    /// other's shared host crates (proc macros, build scripts) in turn.
    pub fn target_dir(self, target: &Path) -> PathBuf {
        match self {
            Self::Rustup => target.join("wasm"),
            Self::Debian => target.join("front"),
        }
    }

    /// `cargo build` of the hydrate crate for wasm in the `wasm-release` profile.
    pub fn wasm_build(self, target: &Path) -> Command {
        let mut command = match self {
            Self::Rustup => cmd::cargo(),
            Self::Debian => debian_cargo(),
        };
        command.env("RUSTC_BOOTSTRAP", "1").env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
            WASM_RUSTFLAGS.join(" "),
        );
        command.args(["build", "-p", "frontend", "--lib", "--target", WASM_TARGET]);
        command.args(["--profile", "wasm-release"]);
        if self == Self::Debian {
            command.args(["-Z", "build-std=std,panic_abort"]);
        }
        command.arg("--target-dir").arg(self.target_dir(target));
        command
    }

    /// The clippy run of the hydrate side: for wasm when rustup can, natively otherwise.
    pub fn frontend_clippy(self) -> Command {
        let mut command = cmd::cargo();
        command.args(["clippy", "-p", "frontend"]);
        if self == Self::Rustup {
            command.args(["--target", WASM_TARGET]);
        }
        command.args(["--", "-D", "warnings"]);
        command
    }

    pub fn wasm_artifact(self, target: &Path) -> PathBuf {
        self.target_dir(target)
            .join(WASM_TARGET)
            .join("wasm-release")
            .join("frontend.wasm")
    }
}

/// Debian's cargo with Debian's rustc: rustup's rustc is first on PATH and would be picked up
/// otherwise. RUSTC_BOOTSTRAP only here: on other builds it would change fingerprints.
fn debian_cargo() -> Command {
    let mut command = Command::new("/usr/bin/cargo");
    command
        .env("RUSTC", "/usr/bin/rustc")
        .env("RUSTC_BOOTSTRAP", "1");
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions() {
        let never = || -> bool { panic!("must not try to add the target") };
        assert_eq!(decide(RouteChoice::Auto, true, never).0, Route::Rustup);
        assert_eq!(decide(RouteChoice::Debian, true, never).0, Route::Debian);
        assert_eq!(decide(RouteChoice::Rustup, false, never).0, Route::Rustup);
        assert_eq!(decide(RouteChoice::Auto, false, || true).0, Route::Rustup);
        assert_eq!(decide(RouteChoice::Auto, false, || false).0, Route::Debian);
    }

    #[test]
    fn each_route_builds_in_its_own_target_dir() {
        let target = Path::new("/t");
        let artifact = "/t/front/wasm32-unknown-unknown/wasm-release/frontend.wasm";
        assert_eq!(Route::Debian.wasm_artifact(target), Path::new(artifact));
        let rustup = "/t/wasm/wasm32-unknown-unknown/wasm-release/frontend.wasm";
        assert_eq!(Route::Rustup.wasm_artifact(target), Path::new(rustup));
        let build = cmd::describe(&Route::Debian.wasm_build(target));
        assert!(build.starts_with("/usr/bin/cargo build -p frontend"));
        assert!(build.ends_with("-Z build-std=std,panic_abort --target-dir /t/front"));
        let build = cmd::describe(&Route::Rustup.wasm_build(target));
        assert!(
            build.ends_with("--profile wasm-release --target-dir /t/wasm"),
            "{build}"
        );
    }

    /// The bundle build replaces the config's wasm flags: it must start with all of them.
    #[test]
    fn bundle_flags_extend_the_configured_wasm_flags() {
        let config = include_str!("../../.cargo/config.toml");
        let section = config
            .split("[target.wasm32-unknown-unknown]")
            .nth(1)
            .expect("the config has a wasm32 section");
        let line = section
            .lines()
            .find(|l| l.starts_with("rustflags"))
            .expect("with rustflags");
        let configured: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
        assert_eq!(WASM_RUSTFLAGS[..configured.len()], configured[..]);
    }

    #[test]
    fn parses_choices() {
        assert_eq!(RouteChoice::parse("debian").unwrap(), RouteChoice::Debian);
        assert!(RouteChoice::parse("").is_err());
    }
}
