//! The built site: where the WASM, JS and CSS are and what `cargo xtask` named them.

use app::SiteAssets;
use leptos::prelude::LeptosOptions;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::Path;

/// `build.json`, written by `cargo xtask` next to the assets it hashed.
#[derive(Debug, Deserialize)]
struct BuildManifest {
    /// The bundle's folder below the site root, named by its content: `pkg/<hash>`. It also
    /// holds the split loader, its manifest and the lazily loaded chunks.
    pkg_dir: String,
    /// Leptos asks for `/{pkg_dir}/{output_name}.js` and `.wasm`.
    output_name: String,
    css: String,
}

/// Leptos options and asset names for a site root. Without a manifest (the site was not built)
/// the pages still render, unstyled and without hydration, and a warning says why.
pub fn load(site_root: &Path, listen: SocketAddr) -> (LeptosOptions, SiteAssets) {
    let manifest_path = site_root.join("build.json");
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_str::<BuildManifest>(&text).map_err(|e| e.to_string()));
    let (pkg_dir, output_name, css) = match manifest {
        Ok(manifest) => (manifest.pkg_dir, manifest.output_name, manifest.css),
        Err(error) => {
            tracing::warn!(
                path = %manifest_path.display(),
                %error,
                "no usable site manifest: pages will not hydrate; build the site with `cargo xtask dev`"
            );
            (
                "pkg".to_string(),
                "berth".to_string(),
                "berth.css".to_string(),
            )
        }
    };
    let options = LeptosOptions::builder()
        .output_name(output_name)
        .site_root(site_root.to_string_lossy().into_owned())
        .site_pkg_dir(pkg_dir)
        .site_addr(listen)
        .build();
    (
        options,
        SiteAssets {
            css_href: format!("/{css}"),
        },
    )
}
