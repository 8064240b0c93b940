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

#[derive(Debug, Clone, Default, Subcommand)]
pub enum Command {
    /// Serve Berth over HTTP (the default). Applies pending migrations at start-up.
    #[default]
    Serve,
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Manage local user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage personal API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Back up Berth's database, list backups, restore one.
    #[command(subcommand)]
    Backup(BackupCommand),
}

#[derive(Debug, Clone, Subcommand)]
pub enum BackupCommand {
    /// Dump the database (`pg_dump` custom format) with a manifest beside it.
    Create(crate::commands::backup::CreateBackup),
    /// List the backups in a folder, oldest first, with their checksum checked.
    List(crate::commands::backup::ListBackups),
    /// Replace the database with a backup (asks for --yes; refuses one from a newer Berth).
    Restore(crate::commands::backup::RestoreBackup),
}

#[derive(Debug, Clone, Subcommand)]
pub enum UserCommand {
    /// Create a local account (e.g. the first admin); the password is read from stdin.
    Create(crate::commands::user::CreateUser),
}

#[derive(Debug, Clone, Subcommand)]
pub enum TokenCommand {
    /// Create a personal API token (`berth_pat_…`) and print it once on stdout.
    Create(crate::commands::token::CreateToken),
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
