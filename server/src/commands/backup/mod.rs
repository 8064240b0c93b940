//! `berth-server backup create|list|restore`: Berth's own database as a `pg_dump` custom-format
//! file with a manifest beside it. A restore checks the checksum, refuses a dump from a newer
//! schema, and replaces every table only when told `--yes`; then pending migrations bring an
//! older dump up to date.

mod manifest;
mod pg;
pub mod schedule;

pub use manifest::Manifest;

use anyhow::{Context as _, bail};
use chrono::{SecondsFormat, Utc};
use diesel::QueryableByName;
use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use std::path::{Path, PathBuf};

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

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Text)]
    version: String,
}

/// The newest migration the database has applied.
async fn schema_version(database_url: &str) -> anyhow::Result<String> {
    let mut conn = AsyncPgConnection::establish(database_url)
        .await
        .context("cannot connect to the database (BERTH_DATABASE_URL)")?;
    let row: Version = diesel::sql_query(
        "SELECT coalesce(max(version), '') AS version FROM __diesel_schema_migrations",
    )
    .get_result(&mut conn)
    .await
    .context("the database has no Berth schema (run `berth-server migrate` first)")?;
    Ok(row.version)
}

/// The newest migration this Berth knows: the `YYYY-MM-DD-HHMMSS` prefix of its folder name,
/// as diesel records it (digits only).
fn newest_known_version() -> String {
    berth_db::migrations::embedded_names()
        .iter()
        .filter_map(|name| name.split('_').next())
        .map(|stamp| {
            stamp
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
        })
        .max()
        .unwrap_or_default()
}

fn database_name(database_url: &str) -> String {
    url::Url::parse(database_url)
        .map(|u| u.path().trim_start_matches('/').to_string())
        .unwrap_or_default()
}

/// Writes the dump and its manifest; returns the dump's path.
pub async fn create(database_url: &str, args: &CreateBackup) -> anyhow::Result<PathBuf> {
    let schema = schema_version(database_url).await?;
    let now = Utc::now();
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from(format!("berth-{}.dump", now.format("%Y-%m-%dT%H-%M-%SZ")))
    });
    if out.exists() {
        bail!("{} exists already; choose another --out", out.display());
    }
    // Written under a temporary name and renamed: a dump that is there is whole.
    let partial = out.with_extension("dump.partial");
    let args: Vec<&std::ffi::OsStr> = vec![
        "--format=custom".as_ref(),
        "--no-owner".as_ref(),
        "--no-privileges".as_ref(),
        "--file".as_ref(),
        partial.as_os_str(),
    ];
    let dumped = pg::run("pg_dump", database_url, &args);
    if let Err(error) = dumped {
        let _ = std::fs::remove_file(&partial);
        return Err(error);
    }
    std::fs::rename(&partial, &out)
        .with_context(|| format!("cannot move the dump to {}", out.display()))?;
    let (dump_bytes, dump_sha256) = manifest::digest(&out)?;
    manifest::write(
        &out,
        &Manifest {
            format: manifest::FORMAT.to_string(),
            berth_version: env!("CARGO_PKG_VERSION").to_string(),
            created_at: now.to_rfc3339_opts(SecondsFormat::Millis, true),
            schema_version: schema,
            database: database_name(database_url),
            dump_bytes,
            dump_sha256,
        },
    )?;
    Ok(out)
}

/// Every backup in `dir` (those with a manifest), oldest first, checked against its checksum.
pub fn list(dir: &Path) -> anyhow::Result<Vec<(PathBuf, Manifest, bool)>> {
    let mut found = Vec::new();
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(dump) = name.strip_suffix(".manifest.json") else {
            continue;
        };
        let dump = dir.join(dump);
        if let Ok(manifest) = manifest::read(&dump) {
            let intact = manifest::digest(&dump).is_ok_and(|(bytes, sha)| {
                bytes == manifest.dump_bytes && sha == manifest.dump_sha256
            });
            found.push((dump, manifest, intact));
        }
    }
    found.sort_by(|a, b| a.1.created_at.cmp(&b.1.created_at));
    Ok(found)
}

/// Checks the backup, then (with `yes`) replaces the database's tables with it and migrates.
pub async fn restore(database_url: &str, args: &RestoreBackup) -> anyhow::Result<Manifest> {
    let manifest = manifest::read(&args.file)?;
    let (bytes, sha) = manifest::digest(&args.file)?;
    if bytes != manifest.dump_bytes || sha != manifest.dump_sha256 {
        bail!(
            "{} does not match its manifest's checksum: it is damaged or not the file the manifest describes",
            args.file.display()
        );
    }
    let known = newest_known_version();
    if manifest.schema_version > known {
        bail!(
            "the backup is from schema {} but this Berth ({}) knows only up to {known}: restore it with the Berth that made it ({})",
            manifest.schema_version,
            env!("CARGO_PKG_VERSION"),
            manifest.berth_version
        );
    }
    if !args.yes {
        bail!(
            "restoring replaces every table of database {:?} with the backup of {}; run again with --yes to do it",
            database_name(database_url),
            manifest.created_at
        );
    }
    let restore_args: Vec<&std::ffi::OsStr> = vec![
        "--clean".as_ref(),
        "--if-exists".as_ref(),
        "--no-owner".as_ref(),
        "--no-privileges".as_ref(),
        "--single-transaction".as_ref(),
        "--exit-on-error".as_ref(),
        args.file.as_os_str(),
    ];
    pg::run("pg_restore", database_url, &restore_args)?;
    berth_db::migrations::run_pending(database_url)
        .await
        .context("restored, but the migrations after it failed")?;
    Ok(manifest)
}
