//! The real `berth-server` binary: configuration errors, start-up without its dependencies, and
//! graceful shutdown on SIGTERM.

use crate::support::UNREACHABLE_POSTGRES;
use berth_testkit as testkit;
use std::process::Stdio;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_berth-server");

fn server(envs: &[(&str, &str)]) -> std::process::Command {
    testkit::command(BIN, envs)
}

#[test]
fn a_malformed_setting_stops_start_up_with_one_line_naming_it() {
    let output = server(&[
        ("BERTH_DATABASE_URL", "postgres://berth@127.0.0.1/berth"),
        ("BERTH_REDIS_URL", "redis://127.0.0.1"),
        ("BERTH_LISTEN", "everywhere"),
    ])
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(78));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr.trim_end(),
        "berth-server: invalid configuration: BERTH_LISTEN: expected an IP address and port \
         such as 127.0.0.1:3000 or [::]:8080, got \"everywhere\""
    );
}

#[test]
fn a_missing_database_url_is_named() {
    let output = server(&[("BERTH_REDIS_URL", "redis://127.0.0.1")])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(78));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("BERTH_DATABASE_URL is not set"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
}

#[test]
fn a_secret_in_a_malformed_url_is_not_echoed() {
    let output = server(&[
        ("BERTH_DATABASE_URL", "mysql://berth:hunter2@db/berth"),
        ("BERTH_REDIS_URL", "redis://127.0.0.1"),
    ])
    .output()
    .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("BERTH_DATABASE_URL: expected a PostgreSQL URL"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn help_describes_every_setting() {
    let output = server(&[]).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for variable in [
        "BERTH_DATABASE_URL",
        "BERTH_REDIS_URL",
        "BERTH_LISTEN",
        "BERTH_SITE_ROOT",
        "BERTH_LOG_FORMAT",
        "BERTH_WORKER_STALE_SECS",
        "BERTH_CONFIG",
    ] {
        assert!(help.contains(variable), "{variable} missing from:\n{help}");
    }
    assert!(help.contains("migrate"));
}

#[tokio::test(flavor = "multi_thread")]
async fn starts_without_postgres_reports_it_and_stops_gracefully() {
    let port = testkit::free_port();
    let listen = format!("127.0.0.1:{port}");
    let redis = testkit::redis_url();
    let mut child = server(&[
        ("BERTH_DATABASE_URL", UNREACHABLE_POSTGRES),
        ("BERTH_REDIS_URL", &redis),
        ("BERTH_LISTEN", &listen),
        ("BERTH_LOG_FORMAT", "json"),
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();

    let client = reqwest::Client::new();
    let url = format!("http://{listen}/api/ready");
    let deadline = Instant::now() + Duration::from_secs(20);
    let response = loop {
        match client.get(&url).send().await {
            Ok(response) => break response,
            Err(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(error) => panic!("server never answered: {error}"),
        }
    };
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["checks"]["postgres"]["status"], "down", "{body}");

    testkit::terminate(&child);
    let status = testkit::wait_with_deadline(&mut child, Duration::from_secs(10));
    assert!(status.success(), "graceful exit, got {status}");
    let stderr = testkit::stderr_of(&mut child);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
