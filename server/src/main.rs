//! berth-server: Berth's web server (pages, server functions, HTTP API) and its admin commands.

use berth_server::cli::{Cli, Command, TokenCommand, UserCommand};
use berth_server::commands;
use berth_server::config::ServerConfig;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse_with_settings_help();
    let config = ServerConfig::load(cli.config.as_deref());
    berth_runtime::process::run_main("berth-server", config, |config| async move {
        match cli.command.unwrap_or_default() {
            Command::Serve => berth_server::serve::run(config).await,
            Command::Migrate => berth_server::startup::migrate_once(&config).await,
            Command::User(UserCommand::Create(args)) => {
                commands::user::create(&config, &args).await
            }
            Command::Token(TokenCommand::Create(args)) => {
                commands::token::create(&config, &args).await
            }
        }
    })
}
