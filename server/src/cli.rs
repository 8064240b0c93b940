//! Command-line interface. Settings come from the environment or a TOML file; `--help` lists them.

use crate::config::settings_help;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "berth-server",
    version,
    about = "Berth's web server: pages, server functions and the HTTP API."
)]
pub struct Cli {
    /// A TOML file with settings (keys as listed below); environment variables override it.
    #[arg(long, global = true, value_name = "FILE", env = "BERTH_CONFIG")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, Default, Subcommand)]
pub enum Command {
    /// Serve Berth over HTTP (the default). Applies pending migrations at start-up.
    #[default]
    Serve,
    /// Apply pending database migrations, then exit.
    Migrate,
}

impl Cli {
    /// Parses arguments; `--help` ends with every setting, its variable and default.
    pub fn parse_with_settings_help() -> Self {
        let matches = Cli::command().after_long_help(settings_help()).after_help(
            "Run `berth-server --help` for every setting (environment variable, file key, default).",
        );
        let matches = matches.get_matches();
        Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
    }
}
