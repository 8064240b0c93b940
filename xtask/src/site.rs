//! The site build: wasm (cargo → wasm-bindgen → wasm-opt), content-hashed names, CSS, build.json.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::paths::Paths;
use crate::route::Route;
use crate::{cmd, digest, install, size};

/// The base name Leptos was compiled with (`LEPTOS_OUTPUT_NAME` in .cargo/config.toml).
const OUTPUT_NAME: &str = "berth";

/// Builds the hydrate bundle and the static files into `<target>/site`, then prints the sizes.
pub fn build(paths: &Paths, route: Route) -> Result<()> {
    let started = std::time::Instant::now();
    cmd::run(&mut route.wasm_build(&paths.target))?;
    let artifact = route.wasm_artifact(&paths.target);
    // The lockfile exists now even on a fresh clone: make sure the CLI matches it.
    install::wasm_bindgen(paths)?;
    let scratch = paths.target.join("site-build");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)?;
    let bindgen = cmd::which_cargo_tool("wasm-bindgen").context("wasm-bindgen is not installed")?;
    let mut bindgen = Command::new(bindgen);
    bindgen
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(&scratch);
    bindgen.args(["--out-name", OUTPUT_NAME]).arg(&artifact);
    cmd::run(&mut bindgen)?;
    let js_path = scratch.join(format!("{OUTPUT_NAME}.js"));
    let wasm_path = optimise(paths, &scratch.join(format!("{OUTPUT_NAME}_bg.wasm")))?;

    let wasm = read(&wasm_path)?;
    let js = read(&js_path)?;
    let site = paths.site();
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).with_context(|| format!("cannot create {}", pkg.display()))?;
    let stem = format!("{OUTPUT_NAME}.{}", digest::hex16(&[&wasm, &js]));
    remove_hashed(&pkg, &["js", "wasm"])?;
    write(&pkg.join(format!("{stem}.wasm")), &wasm)?;
    write(&pkg.join(format!("{stem}.js")), &js)?;
    let css = static_files(paths, &site)?;
    // Written last and atomically: a running server never sees names whose files are missing.
    let manifest = format!("{{\"output_name\":\"{stem}\",\"css\":\"{css}\"}}\n");
    let temporary = site.join("build.json.tmp");
    write(&temporary, manifest.as_bytes())?;
    std::fs::rename(&temporary, site.join("build.json"))?;
    println!(
        "site: {} ({stem}, {css}) in {:.1}s",
        paths.display(&site),
        started.elapsed().as_secs_f64()
    );
    // Brotli at quality 11 is slow in a debug build of xtask: measure both files at once.
    let (wasm_sizes, js_sizes) = std::thread::scope(|scope| {
        let js_sizes = scope.spawn(|| size::measure(&js));
        (size::measure(&wasm), js_sizes.join())
    });
    let js_sizes = js_sizes.map_err(|_| anyhow::anyhow!("the size measurement panicked"))?;
    let report = [
        (format!("{stem}.wasm"), wasm_sizes?),
        (format!("{stem}.js"), js_sizes?),
    ];
    let rows: Vec<(&str, size::Sizes)> = report.iter().map(|(n, s)| (n.as_str(), *s)).collect();
    for line in size::report(&rows) {
        println!("{line}");
    }
    Ok(())
}

/// `wasm-opt -Oz` from end2end's binaryen 132 only: Debian's binaryen 108 breaks hydration.
fn optimise(paths: &Paths, wasm: &Path) -> Result<PathBuf> {
    let wasm_opt = paths.npm_bin("wasm-opt");
    if !cmd::is_executable(&wasm_opt) {
        eprintln!(
            "WARNING: {} is missing (npm binaryen@132 in end2end/); the bundle is NOT optimised \
             and will be several times larger. Never use Debian's wasm-opt: it breaks hydration.",
            paths.display(&wasm_opt)
        );
        return Ok(wasm.to_path_buf());
    }
    let optimised = wasm.with_extension("opt.wasm");
    let mut command = Command::new(wasm_opt);
    command.args([
        "-Oz",
        "--enable-bulk-memory",
        "--enable-nontrapping-float-to-int",
    ]);
    command.arg(wasm).arg("-o").arg(&optimised);
    cmd::run(&mut command)?;
    Ok(optimised)
}

/// Copies `style/`: every `*.css` file, concatenated in name order (`10-tokens.css`,
/// `20-layout.css`, …) into one content-hashed stylesheet, and every other file unchanged.
/// Returns the CSS file name.
fn static_files(paths: &Paths, site: &Path) -> Result<String> {
    let style = paths.repo.join("style");
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&style)
        .with_context(|| format!("cannot read {}", style.display()))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|ext| ext == "css"))
        .collect();
    if sources.is_empty() {
        bail!("{} has no .css files", paths.display(&style));
    }
    sources.sort();
    let mut css = Vec::new();
    for source in &sources {
        css.extend_from_slice(&read(source)?);
        css.push(b'\n');
    }
    let name = format!("{OUTPUT_NAME}.{}.css", digest::hex16(&[&css]));
    remove_hashed(site, &["css"])?;
    write(&site.join(&name), &css)?;
    copy_assets(&style, site)?;
    Ok(name)
}

fn copy_assets(from: &Path, to: &Path) -> Result<()> {
    for entry in
        std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?
    {
        let entry = entry?;
        let path = entry.path();
        let destination = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            std::fs::create_dir_all(&destination)?;
            copy_assets(&path, &destination)?;
        } else if path.extension().is_none_or(|ext| ext != "css") {
            std::fs::copy(&path, &destination)
                .with_context(|| format!("cannot copy {}", path.display()))?;
        }
    }
    Ok(())
}

/// Removes `berth.<anything>.<ext>` left by earlier builds.
fn remove_hashed(dir: &Path, extensions: &[&str]) -> Result<()> {
    for entry in std::fs::read_dir(dir)?.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let hashed = name
            .strip_prefix(&format!("{OUTPUT_NAME}."))
            .is_some_and(|rest| {
                extensions
                    .iter()
                    .any(|ext| rest.ends_with(&format!(".{ext}")))
            });
        if hashed {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_only_hashed_files() {
        let dir = std::env::temp_dir().join(format!("xtask-site-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in [
            "berth.0123.js",
            "berth.0123.wasm",
            "berth.css.map",
            "other.js",
            "favicon.svg",
        ] {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        remove_hashed(&dir, &["js", "wasm"]).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, ["berth.css.map", "favicon.svg", "other.js"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
