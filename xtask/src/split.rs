//! WASM code splitting: the pages behind `#[lazy_route]` move out of the main module into chunks
//! that the browser loads when a route needs them, so the first load carries only the shell.
//!
//! Leptos' `#[lazy]` functions import a loader from a placeholder module; the splitter (the
//! `wasm_split_cli_support` library) cuts the module along those imports and writes the loader
//! (`__wasm_split.…js`), the chunks and a prefetch manifest that Leptos reads on the server to
//! preload the chunks a server-rendered page needs before it hydrates.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};

/// The loader's name: Leptos' `HydrationScripts` asks for exactly this file next to the bundle
/// when file hashing is off (Berth hashes the folder instead).
pub const LOADER: &str = "__wasm_split.______________________.js";
/// The prefetch map Leptos reads from the same folder.
pub const MANIFEST: &str = "__wasm_split_manifest.json";

/// What the splitter wrote.
pub struct Split {
    /// The main module, still to be processed by wasm-bindgen.
    pub main: PathBuf,
    /// The chunk modules, already in `out`.
    pub chunks: Vec<PathBuf>,
    /// For each lazy function (a page's view), the chunk file stems it loads, sorted by name.
    pub loads: Vec<(String, Vec<String>)>,
}

/// Splits `input` (a cargo build linked with `--emit-relocs`) into `out`: chunks, loader and
/// manifest there, the main module in `scratch`. `main_module` is the URL the loader imports the
/// wasm-bindgen glue from.
pub fn split(input: &[u8], out: &Path, scratch: &Path, main_module: &str) -> Result<Split> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let main = scratch.join("main.wasm");
    let link_name = format!("./{LOADER}");
    let mut options = wasm_split_cli_support::Options::new(input);
    options.output_dir = out;
    options.main_out_path = &main;
    options.link_name = &link_name;
    options.main_module = main_module;
    let result = wasm_split_cli_support::transform(options)
        .map_err(|e| anyhow!("wasm split failed: {e:?}"))?;
    write_manifest(&out.join(MANIFEST), &result.prefetch_map)?;
    let mut loads: Vec<_> = result.prefetch_map.into_iter().collect();
    loads.sort();
    Ok(Split {
        main,
        chunks: result.split_modules,
        loads,
    })
}

/// `{"split name": ["chunk file stems", …]}`, sorted so that equal builds give equal files.
fn write_manifest(path: &Path, map: &HashMap<String, Vec<String>>) -> Result<()> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort();
    let body: Vec<String> = entries
        .into_iter()
        .map(|(name, files)| {
            let files: Vec<String> = files.iter().map(|f| json_string(f)).collect();
            format!("{}:[{}]", json_string(name), files.join(","))
        })
        .collect();
    let text = format!("{{{}}}\n", body.join(","));
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// A JSON string literal (split names are Rust identifiers and file stems; escape anyway).
fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_is_sorted_json() {
        let dir = std::env::temp_dir().join(format!("xtask-split-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(MANIFEST);
        let map = HashMap::from([
            (
                "b".to_string(),
                vec!["chunk_1".to_string(), "b".to_string()],
            ),
            ("a\"".to_string(), vec![]),
        ]);
        write_manifest(&path, &map).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"a\\\"\":[],\"b\":[\"chunk_1\",\"b\"]}\n"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
