//! berth-server: Berth's web server (pages, server functions, HTTP API) and its admin commands.

use berth_server::cli::{BackupCommand, Cli, Command, TokenCommand, UserCommand};
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
            Command::Backup(command) => backup(&config, command).await,
        }
    })
}

/// The backup commands print their result on stdout, for scripts.
#[allow(clippy::print_stdout)]
async fn backup(config: &ServerConfig, command: BackupCommand) -> anyhow::Result<()> {
    let url = config.common.database.url.expose();
    match command {
        BackupCommand::Create(args) => {
            let dump = berth_backup::create(url, args.out).await?;
            println!("{}", dump.display());
        }
        BackupCommand::List(args) => {
            for backup in berth_backup::list(&args.dir)? {
                println!(
                    "{}  {}  schema {}  {} bytes  {}",
                    backup.manifest.created_at,
                    backup.dump.display(),
                    backup.manifest.schema_version,
                    backup.manifest.dump_bytes,
                    if backup.intact {
                        "ok"
                    } else {
                        "DAMAGED (checksum differs)"
                    }
                );
            }
        }
        BackupCommand::Restore(args) => {
            let manifest = berth_backup::restore(url, &args.file, args.yes).await?;
            println!(
                "restored the backup of {} (schema {})",
                manifest.created_at, manifest.schema_version
            );
        }
    }
    Ok(())
}
