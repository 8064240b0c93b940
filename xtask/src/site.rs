//! The site build: wasm (cargo → wasm-bindgen → wasm-opt), content-hashed names, CSS, build.json.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::paths::Paths;
use crate::route::Route;
use crate::{cmd, digest, install, size, split};

/// The base name Leptos was compiled with (`LEPTOS_OUTPUT_NAME` in .cargo/config.toml).
const OUTPUT_NAME: &str = "berth";

/// Builds the hydrate bundle and the static files into `<target>/site`, then prints the sizes.
///
/// The bundle lives in its own folder, `site/pkg/<hash of the cargo output>/`: the main module
/// (`berth.wasm`, `berth.js`), the split loader, its manifest and the lazily loaded chunks.
/// Hashing the folder rather than each file keeps the names Leptos and the loader expect, and
/// still gives every build new URLs that can be cached forever.
pub fn build(paths: &Paths, route: Route) -> Result<()> {
    let started = std::time::Instant::now();
    cmd::run(&mut route.wasm_build(&paths.target))?;
    let artifact = route.wasm_artifact(&paths.target);
    // The lockfile exists now even on a fresh clone: make sure the CLI matches it.
    install::wasm_bindgen(paths)?;
    let scratch = paths.target.join("site-build");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)?;
    let input = read(&artifact)?;
    let folder = digest::hex16(&[&input]);
    let out = scratch.join(&folder);
    let main_module = format!("/pkg/{folder}/{OUTPUT_NAME}.js");
    let split = split::split(&input, &out, &scratch, &main_module)?;

    let bindgen = cmd::which_cargo_tool("wasm-bindgen").context("wasm-bindgen is not installed")?;
    let mut bindgen = Command::new(bindgen);
    bindgen
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(&out);
    // The split loader shares the main module's function table with the chunks.
    bindgen.arg("--keep-lld-exports");
    bindgen.args(["--out-name", OUTPUT_NAME]).arg(&split.main);
    cmd::run(&mut bindgen)?;
    let bound = out.join(format!("{OUTPUT_NAME}_bg.wasm"));
    let main_wasm = out.join(format!("{OUTPUT_NAME}.wasm"));
    // The main module, then the chunks (many and small), on every core: one at a time would
    // spend minutes starting processes.
    let mut modules: Vec<(&Path, &Path)> = vec![(&bound, &main_wasm)];
    modules.extend(split.chunks.iter().map(|c| (c.as_path(), c.as_path())));
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((from, to)) = modules.get(i) else {
                            return Ok(());
                        };
                        optimise(paths, from, to)?;
                    }
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .map_err(|_| anyhow::anyhow!("wasm-opt worker panicked"))?
        })
    })?;
    std::fs::remove_file(&bound)?;

    let site = paths.site();
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).with_context(|| format!("cannot create {}", pkg.display()))?;
    // Earlier builds go: a running server is restarted with the new build.json anyway.
    for entry in std::fs::read_dir(&pkg)?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else {
            std::fs::remove_file(&path)?;
        }
    }
    std::fs::rename(&out, pkg.join(&folder))
        .with_context(|| format!("cannot move the bundle into {}", pkg.display()))?;
    let css = static_files(paths, &site)?;
    // Written last and atomically: a running server never sees names whose files are missing.
    let manifest = format!(
        "{{\"pkg_dir\":\"pkg/{folder}\",\"output_name\":\"{OUTPUT_NAME}\",\"css\":\"{css}\"}}\n"
    );
    let temporary = site.join("build.json.tmp");
    write(&temporary, manifest.as_bytes())?;
    std::fs::rename(&temporary, site.join("build.json"))?;
    println!(
        "site: {} (pkg/{folder}, {css}) in {:.1}s",
        paths.display(&site),
        started.elapsed().as_secs_f64()
    );
    report_sizes(&pkg.join(&folder), &split.loads)
}

/// The first load (main module, glue, loader) against the budget, then what each lazy page
/// loads on top of it.
fn report_sizes(folder: &Path, loads: &[(String, Vec<String>)]) -> Result<()> {
    let first = [
        format!("{OUTPUT_NAME}.wasm"),
        format!("{OUTPUT_NAME}.js"),
        split::LOADER.to_string(),
    ];
    let chunks: Vec<String> = std::fs::read_dir(folder)?
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name.ends_with(".wasm") && !first.contains(name))
        .collect();
    let files: Vec<&String> = first.iter().chain(&chunks).collect();
    // Brotli at quality 11 is slow in a debug build of xtask: measure the files in parallel.
    let measured: Vec<(String, size::Sizes)> = std::thread::scope(|scope| {
        let jobs: Vec<_> = files
            .iter()
            .map(|name| {
                scope.spawn(move || {
                    read(&folder.join(name.as_str())).and_then(|bytes| size::measure(&bytes))
                })
            })
            .collect();
        files
            .iter()
            .zip(jobs)
            .map(|(name, job)| {
                let sizes = job
                    .join()
                    .map_err(|_| anyhow::anyhow!("the size measurement panicked"))??;
                Ok(((*name).clone(), sizes))
            })
            .collect::<Result<_>>()
    })?;
    let (first, chunks) = measured.split_at(first.len());
    let brotli_of = |stem: &str| {
        chunks
            .iter()
            .find(|(name, _)| name.strip_suffix(".wasm") == Some(stem))
            .map_or(0, |(_, sizes)| sizes.brotli)
    };
    let pages: Vec<(String, usize, usize)> = loads
        .iter()
        .map(|(page, stems)| {
            let name = page
                .trim_start_matches('_')
                .trim_end_matches(|c: char| c.is_ascii_digit());
            let total = stems.iter().map(|stem| brotli_of(stem)).sum();
            (name.trim_end_matches('_').to_string(), stems.len(), total)
        })
        .collect();
    for line in size::report(first, chunks.len(), &pages) {
        println!("{line}");
    }
    Ok(())
}

/// `wasm-opt -Oz` from end2end's binaryen 132 only: Debian's binaryen 108 breaks hydration.
/// Without it the module is copied unoptimised, with a warning.
fn optimise(paths: &Paths, wasm: &Path, optimised: &Path) -> Result<()> {
    let wasm_opt = paths.npm_bin("wasm-opt");
    if !cmd::is_executable(&wasm_opt) {
        eprintln!(
            "WARNING: {} is missing (npm binaryen@132 in end2end/); the bundle is NOT optimised \
             and will be several times larger. Never use Debian's wasm-opt: it breaks hydration.",
            paths.display(&wasm_opt)
        );
        if wasm != optimised {
            std::fs::copy(wasm, optimised)?;
        }
        return Ok(());
    }
    let mut command = Command::new(wasm_opt);
    command.args([
        "-Oz",
        "--enable-bulk-memory",
        "--enable-nontrapping-float-to-int",
    ]);
    command.arg(wasm).arg("-o").arg(optimised);
    let shown = cmd::describe(&command);
    let output = command
        .output()
        .with_context(|| format!("cannot start `{shown}`"))?;
    // The splitter writes a name subsection binaryen does not know; it says so once per chunk.
    let stderr = String::from_utf8_lossy(&output.stderr);
    for line in stderr
        .lines()
        .filter(|l| !l.starts_with("warning: unknown name subsection"))
    {
        eprintln!("{line}");
    }
    if !output.status.success() {
        bail!("`{shown}` failed ({})", output.status);
    }
    Ok(())
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
