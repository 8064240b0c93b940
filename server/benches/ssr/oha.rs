//! Load at a fixed rate from `oha` (crates.io; `cargo xtask bench` installs it): the page's
//! latency while the server is asked for exactly the rate its target names, as opposed to wrk's
//! closed loop, where 50 connections wait on each other and the latency only says how saturated
//! the server is. Latency correction counts each request from when it was due, so a stall that
//! delays the requests behind it shows in the percentiles instead of hiding (coordinated omission).

use serde::Deserialize;
use std::process::Command;
use std::time::Duration;

/// What `oha` reported.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Responses with a status other than 200, and requests that got no response.
    pub failed: u64,
}

/// `oha` offering `rate` requests per second over `connections` connections for `duration`, as
/// the signed-in browser whose `Cookie` header is `cookie`. Blocks for the whole run.
pub fn run(url: &str, cookie: &str, connections: u32, rate: u32, duration: Duration) -> Figures {
    // `cargo xtask bench` names the binary it installed; by hand, the one on PATH.
    let oha = std::env::var_os("BERTH_BENCH_OHA").unwrap_or_else(|| "oha".into());
    let output = Command::new(oha)
        .arg(format!("-c{connections}"))
        .arg(format!("-q{rate}"))
        .arg(format!("-z{}s", duration.as_secs()))
        .args([
            "--latency-correction",
            "--wait-ongoing-requests-after-deadline",
            "--no-tui",
            "--output-format",
            "json",
        ])
        .args(["-H", &format!("Cookie: {cookie}")])
        .args([
            "-H",
            &format!("Accept-Encoding: {}", super::wrk::ACCEPT_ENCODING),
        ])
        .arg(url)
        .output();
    let report = super::wrk::report_of(output, "oha (`cargo xtask bench` installs it)");
    parse(&report).unwrap_or_else(|error| panic!("cannot read oha's report ({error}):\n{report}"))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    summary: Summary,
    latency_percentiles: Percentiles,
    #[serde(default)]
    status_code_distribution: std::collections::BTreeMap<String, u64>,
    #[serde(default)]
    error_distribution: std::collections::BTreeMap<String, u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    requests_per_sec: f64,
}

/// Seconds; `null` when nothing was measured.
#[derive(Deserialize)]
struct Percentiles {
    p50: Option<f64>,
    p99: Option<f64>,
}

fn parse(report: &str) -> Result<Figures, String> {
    let report: Report = serde_json::from_str(report).map_err(|e| e.to_string())?;
    let millis = |seconds: Option<f64>| seconds.map(|s| s * 1000.0).ok_or("no latencies");
    let failed = report
        .status_code_distribution
        .iter()
        .filter(|(status, _)| status.as_str() != "200")
        .map(|(_, count)| count)
        .sum::<u64>()
        + report.error_distribution.values().sum::<u64>();
    Ok(Figures {
        per_second: report.summary.requests_per_sec,
        p50_ms: millis(report.latency_percentiles.p50)?,
        p99_ms: millis(report.latency_percentiles.p99)?,
        failed,
    })
}
