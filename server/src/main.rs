//! berth-server: Berth's web server (pages, server functions, HTTP API) and its admin commands.

use berth_server::cli::{Cli, Command};
use berth_server::config::ServerConfig;
use std::process::ExitCode;

/// sysexits' EX_CONFIG: the configuration is wrong, retrying will not help.
const EXIT_CONFIG: u8 = 78;

fn main() -> ExitCode {
    let cli = Cli::parse_with_settings_help();
    let config = match ServerConfig::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("berth-server: invalid configuration: {error}");
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
            eprintln!("berth-server: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async move {
        match cli.command.unwrap_or_default() {
            Command::Serve => berth_server::serve::run(config).await,
            Command::Migrate => berth_server::startup::migrate_once(&config).await,
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "berth-server failed");
            eprintln!("berth-server: {error:#}");
            ExitCode::FAILURE
        }
    }
}
