//! Load from `wrk` (Debian's package; `cargo xtask bench` installs it): one run against one
//! URL, and the figures read back from its `--latency` report.

use std::process::Command;
use std::time::Duration;

/// What `wrk` reported.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Figures {
    pub requests: u64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Connect, read, write and timeout errors together.
    pub socket_errors: u64,
}

/// What Chromium sends: the server may answer gzipped, and wrk counts the bytes as sent.
pub const ACCEPT_ENCODING: &str = "gzip, deflate, br, zstd";

/// `wrk --latency` with `connections` connections on `threads` threads for `duration`, as the
/// signed-in browser whose `Cookie` header is `cookie`. Blocks for the whole run.
pub fn run(url: &str, cookie: &str, connections: u32, threads: u32, duration: Duration) -> Figures {
    let output = Command::new("wrk")
        .arg(format!("-c{connections}"))
        .arg(format!("-t{threads}"))
        .arg(format!("-d{}s", duration.as_secs()))
        .args(["--latency", "--timeout", "5s", "-H"])
        .arg(format!("Cookie: {cookie}"))
        .arg("-H")
        .arg(format!("Accept-Encoding: {ACCEPT_ENCODING}"))
        .arg(url)
        .output();
    let report = report_of(
        output,
        "wrk (Debian package `wrk`; `cargo xtask bench` installs it)",
    );
    parse(&report).unwrap_or_else(|| panic!("cannot read wrk's report:\n{report}"))
}

/// A load generator's standard output, once it has run and succeeded.
pub fn report_of(output: std::io::Result<std::process::Output>, tool: &str) -> String {
    let output = output.unwrap_or_else(|error| panic!("cannot run {tool}: {error}"));
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{tool} failed: {report}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    report
}

/// Reads the lines this bench needs from a `--latency` report.
fn parse(report: &str) -> Option<Figures> {
    let mut figures = Figures::default();
    for line in report.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["50%", value] => figures.p50_ms = millis(value)?,
            ["99%", value] => figures.p99_ms = millis(value)?,
            [count, "requests", "in", ..] => figures.requests = count.parse().ok()?,
            ["Requests/sec:", value] => figures.per_second = value.parse().ok()?,
            ["Socket", "errors:", rest @ ..] => {
                figures.socket_errors = rest
                    .iter()
                    .filter_map(|word| word.trim_end_matches(',').parse::<u64>().ok())
                    .sum();
            }
            _ => {}
        }
    }
    (figures.requests > 0).then_some(figures)
}

/// `812.00us`, `4.21ms`, `1.02s` → milliseconds.
fn millis(value: &str) -> Option<f64> {
    let split = value.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = value.split_at(split);
    let number: f64 = number.parse().ok()?;
    let scale = match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1000.0,
        "m" => 60_000.0,
        _ => return None,
    };
    Some(number * scale)
}
