//! Command-line interface. Settings come from the environment or a TOML file; `--help` lists them.

use crate::config::settings_help;
use clap::{CommandFactory, FromArgMatches, Parser};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "berth-worker",
    version,
    about = "Berth's background worker: runs provisioning jobs and reports its heartbeat."
)]
pub struct Cli {
    /// A TOML file with settings (keys as listed below); environment variables override it.
    #[arg(long, value_name = "FILE", env = "BERTH_CONFIG")]
    pub config: Option<PathBuf>,
}

impl Cli {
    /// Parses arguments; `--help` ends with every setting, its variable and default.
    pub fn parse_with_settings_help() -> Self {
        let matches = Cli::command()
            .after_long_help(settings_help())
            .after_help("Run `berth-worker --help` for every setting (environment variable, file key, default).")
            .get_matches();
        Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
    }
}
