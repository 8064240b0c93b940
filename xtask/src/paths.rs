//! Where things live: the repository root, cargo's target dir and the site dir.

use std::path::{Path, PathBuf};

/// Absolute paths every task needs.
#[derive(Debug, Clone)]
pub struct Paths {
    pub repo: PathBuf,
    pub target: PathBuf,
}

impl Paths {
    /// The repo is xtask's parent; the target dir honours `CARGO_TARGET_DIR` (relative to the repo,
    /// as cargo resolves it when run from there).
    pub fn discover() -> Self {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let repo = manifest.parent().unwrap_or(manifest).to_path_buf();
        let target = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => repo.join(dir),
            _ => repo.join("target"),
        };
        Self { repo, target }
    }

    /// The site root the server serves: `<target>/site`.
    pub fn site(&self) -> PathBuf {
        self.target.join("site")
    }

    pub fn end2end(&self) -> PathBuf {
        self.repo.join("end2end")
    }

    /// A tool installed by npm in end2end/ (`node_modules/.bin/NAME`).
    pub fn npm_bin(&self, name: &str) -> PathBuf {
        self.end2end().join("node_modules").join(".bin").join(name)
    }

    /// A native binary built by `cargo build` in the given profile.
    pub fn binary(&self, name: &str, release: bool) -> PathBuf {
        self.target
            .join(if release { "release" } else { "debug" })
            .join(name)
    }

    /// Shortens a path under the repo for messages.
    pub fn display(&self, path: &Path) -> String {
        path.strip_prefix(&self.repo)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| path.display().to_string())
    }
}
