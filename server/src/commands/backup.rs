//! `berth-server backup create|list|restore`: the command-line side of `berth-backup`.

use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
pub struct CreateBackup {
    /// Where to write the dump (its manifest goes beside it as `<FILE>.manifest.json`).
    /// Default: `berth-<time>.dump` in the current folder.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ListBackups {
    /// The folder to look in.
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Clone, clap::Args)]
pub struct RestoreBackup {
    /// The dump to restore (its manifest must be beside it).
    pub file: PathBuf,
    /// Replace every table of the configured database: without it nothing is changed.
    #[arg(long)]
    pub yes: bool,
}
