//! The bundle size report: raw, gzip and brotli sizes against the brotli budget.

use std::io::Write;

use anyhow::Result;
use flate2::Compression;
use flate2::write::GzEncoder;

/// wasm + js, brotli-compressed, must stay under this (reported, not enforced).
pub const BUDGET_BROTLI_BYTES: usize = 200 * 1024;

/// Sizes of one file, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

pub fn measure(bytes: &[u8]) -> Result<Sizes> {
    let mut gzip = GzEncoder::new(Vec::new(), Compression::best());
    gzip.write_all(bytes)?;
    let gzip = gzip.finish()?.len();
    let mut brotli = Vec::new();
    {
        // quality 11 and a 4 MiB window: what a static pre-compression step would use.
        let mut writer = brotli::CompressorWriter::new(&mut brotli, 64 * 1024, 11, 22);
        writer.write_all(bytes)?;
        writer.flush()?;
    }
    Ok(Sizes {
        raw: bytes.len(),
        gzip,
        brotli: brotli.len(),
    })
}

/// Kilobytes (1024 bytes) with one decimal.
pub fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

/// The report as printed lines: one per file and a total against the budget.
pub fn report(files: &[(&str, Sizes)]) -> Vec<String> {
    let mut lines = vec![format!(
        "{:<28} {:>10} {:>10} {:>10}",
        "bundle", "raw", "gzip", "brotli"
    )];
    for (name, sizes) in files {
        lines.push(format!(
            "{:<28} {:>10} {:>10} {:>10}",
            name,
            kb(sizes.raw),
            kb(sizes.gzip),
            kb(sizes.brotli)
        ));
    }
    let total: usize = files.iter().map(|(_, s)| s.brotli).sum();
    let verdict = if total <= BUDGET_BROTLI_BYTES {
        "OK"
    } else {
        "OVER BUDGET"
    };
    lines.push(format!(
        "total wasm+js brotli: {} of {} budget  {verdict}",
        kb(total),
        kb(BUDGET_BROTLI_BYTES)
    ));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_kilobytes() {
        assert_eq!(kb(0), "0.0 KB");
        assert_eq!(kb(1536), "1.5 KB");
        assert_eq!(kb(200 * 1024), "200.0 KB");
    }

    #[test]
    fn compresses_repetitive_input() {
        let sizes = measure(&[b'a'; 10_000]).unwrap();
        assert_eq!(sizes.raw, 10_000);
        assert!(sizes.gzip < 200 && sizes.brotli < 200, "{sizes:?}");
    }

    #[test]
    fn reports_budget() {
        let small = Sizes {
            raw: 10,
            gzip: 5,
            brotli: 4,
        };
        let big = Sizes {
            raw: 900_000,
            gzip: 300_000,
            brotli: 250_000,
        };
        assert!(
            report(&[("a.wasm", small)])
                .last()
                .unwrap()
                .ends_with(" OK")
        );
        assert!(
            report(&[("a.wasm", big)])
                .last()
                .unwrap()
                .ends_with("OVER BUDGET")
        );
        assert_eq!(report(&[("a.wasm", small), ("a.js", small)]).len(), 4);
    }
}
