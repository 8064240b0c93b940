//! berth-worker: Berth's background job runner.

use berth_worker::cli::Cli;
use berth_worker::config::WorkerConfig;
use std::process::ExitCode;

/// sysexits' EX_CONFIG: the configuration is wrong, retrying will not help.
const EXIT_CONFIG: u8 = 78;

fn main() -> ExitCode {
    let cli = Cli::parse_with_settings_help();
    let config = match WorkerConfig::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("berth-worker: invalid configuration: {error}");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    berth_runtime::telemetry::init(&config.common.log);
    for variable in &config.unknown_env {
        tracing::warn!(%variable, "unknown BERTH_* variable ignored (a typo?)");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("berth-worker: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(berth_worker::run::run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "berth-worker failed");
            eprintln!("berth-worker: {error:#}");
            ExitCode::FAILURE
        }
    }
}
