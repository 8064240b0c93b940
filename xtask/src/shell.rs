//! The `shell` stage: shellcheck on CI and infra scripts, bats on infra's suites.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;

use crate::cmd;
use crate::paths::Paths;

/// Runs shellcheck and bats; returns the note for the summary line.
pub fn check(paths: &Paths) -> Result<String> {
    let infra = paths.repo.join("infra");
    let mut scripts = Vec::new();
    let ci = paths.repo.join(".ci").join("run");
    if ci.exists() {
        scripts.push(ci);
    }
    let mut bats = Vec::new();
    walk(
        &infra,
        &mut |path| match path.extension().and_then(|e| e.to_str()) {
            Some("sh" | "bash") => scripts.push(path.to_path_buf()),
            Some("bats") => bats.push(path.to_path_buf()),
            _ if cmd::is_executable(path) && bash_shebang(path) => scripts.push(path.to_path_buf()),
            _ => {}
        },
    )?;
    if !scripts.is_empty() {
        // -x: follow `source`d files so their variables are known.
        cmd::run(Command::new("shellcheck").arg("-x").args(&scripts))?;
    }
    let mut note = format!("{} scripts checked", scripts.len());
    if bats.is_empty() {
        note.push_str(", no bats suites yet");
    } else {
        cmd::run(Command::new("bats").arg("--recursive").arg(&infra))?;
        note.push_str(&format!(", {} bats files", bats.len()));
    }
    Ok(note)
}

fn walk(dir: &Path, visit: &mut dyn FnMut(&Path)) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name == "node_modules" || name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, visit)?;
        } else if path.is_file() {
            visit(&path);
        }
    }
    Ok(())
}

/// `#!/bin/bash`, `#!/usr/bin/env bash`, `#!/usr/bin/env -S bash -e`…
fn bash_shebang(path: &Path) -> bool {
    let mut head = [0u8; 128];
    let read = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    is_bash_shebang(&head[..read])
}

fn is_bash_shebang(head: &[u8]) -> bool {
    let first = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let Some(rest) = first.strip_prefix(b"#!") else {
        return false;
    };
    String::from_utf8_lossy(rest)
        .split_whitespace()
        .filter(|word| !word.starts_with('-'))
        .any(|word| word == "bash" || word.ends_with("/bash"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_bash_shebangs() {
        assert!(is_bash_shebang(b"#!/bin/bash\necho"));
        assert!(is_bash_shebang(b"#!/usr/bin/env bash"));
        assert!(is_bash_shebang(b"#!/usr/bin/env -S bash -eu\n"));
        assert!(!is_bash_shebang(b"#!/bin/sh\n"));
        assert!(!is_bash_shebang(b"#!/usr/bin/env bats\n"));
        assert!(!is_bash_shebang(b"\x7fELF\x02\x01"));
        assert!(!is_bash_shebang(b"echo bash"));
    }
}
