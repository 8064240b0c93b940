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

fn row(name: &str, sizes: &Sizes) -> String {
    format!(
        "{:<42} {:>10} {:>10} {:>10}",
        name,
        kb(sizes.raw),
        kb(sizes.gzip),
        kb(sizes.brotli)
    )
}

/// The report as printed lines: the files of the first load, then for each lazily loaded page
/// the chunks it adds (`(page, chunk count, brotli bytes)`), then the first load's total
/// against the budget. Chunks shared by several pages count for each of them.
pub fn report(
    first: &[(String, Sizes)],
    chunks: usize,
    pages: &[(String, usize, usize)],
) -> Vec<String> {
    let mut lines = vec![format!(
        "{:<42} {:>10} {:>10} {:>10}",
        "first load", "raw", "gzip", "brotli"
    )];
    lines.extend(first.iter().map(|(name, sizes)| row(name, sizes)));
    if !pages.is_empty() {
        lines.push(format!(
            "{:<42} {:>10} {:>21}",
            format!("pages loaded on demand ({chunks} chunks)"),
            "chunks",
            "brotli"
        ));
        for (page, count, brotli) in pages {
            lines.push(format!(
                "{page:<42} {count:>10} {:>21}",
                format!("+{}", kb(*brotli))
            ));
        }
    }
    let total: usize = first.iter().map(|(_, s)| s.brotli).sum();
    let verdict = if total <= BUDGET_BROTLI_BYTES {
        "OK"
    } else {
        "OVER BUDGET"
    };
    lines.push(format!(
        "first load brotli: {} of {} budget  {verdict}",
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
    fn reports_budget_of_the_first_load_only() {
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
        let file = |name: &str, sizes| vec![(name.to_string(), sizes)];
        assert!(
            report(&file("a.wasm", small), 0, &[])
                .last()
                .unwrap()
                .ends_with(" OK")
        );
        assert!(
            report(&file("a.wasm", big), 0, &[])
                .last()
                .unwrap()
                .ends_with("OVER BUDGET")
        );
        // A big page loaded on demand does not count against the first load.
        let pages = [("account_route_view".to_string(), 3, 250_000)];
        let lines = report(&file("a.wasm", small), 7, &pages);
        assert!(lines.last().unwrap().ends_with(" OK"), "{lines:?}");
        assert!(
            lines[2].starts_with("pages loaded on demand (7 chunks)"),
            "{lines:?}"
        );
        assert!(lines[3].starts_with("account_route_view") && lines[3].ends_with("+244.1 KB"));
    }
}
