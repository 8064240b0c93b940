//! The start of every Berth binary: configuration errors as one line and exit 78, then logging,
//! the async runtime, and errors reported both to the log and to stderr.

use crate::config::ConfigError;
use crate::telemetry::{self, LogConfig};
use std::future::Future;
use std::process::ExitCode;

/// sysexits' EX_CONFIG: the configuration is wrong, retrying will not help.
pub const EXIT_CONFIG: u8 = 78;

/// What `run_main` needs to know of a binary's configuration.
pub trait ProcessConfig {
    fn log(&self) -> &LogConfig;
    /// `BERTH_*` variables nobody reads, warned about once logging is up.
    fn unknown_env(&self) -> &[String];
}

/// Loads nothing itself: takes the outcome of loading so each binary keeps its own settings.
pub fn run_main<C, F, Fut>(name: &str, config: Result<C, ConfigError>, run: F) -> ExitCode
where
    C: ProcessConfig,
    F: FnOnce(C) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let config = match config {
        Ok(config) => config,
        Err(error) => {
            eprintln!("{name}: invalid configuration: {error}");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    telemetry::init(config.log());
    for variable in config.unknown_env() {
        tracing::warn!(%variable, "unknown BERTH_* variable ignored (a typo?)");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("{name}: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "{name} failed");
            eprintln!("{name}: {error:#}");
            ExitCode::FAILURE
        }
    }
}
