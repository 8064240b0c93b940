//! berth-worker: Berth's background job runner.

use berth_worker::cli::Cli;
use berth_worker::config::WorkerConfig;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse_with_settings_help();
    let config = WorkerConfig::load(cli.config.as_deref());
    berth_runtime::process::run_main("berth-worker", config, berth_worker::run::run)
}
