//! Backups of Berth's own database: a `pg_dump` custom-format file with a manifest beside it.
//! A restore checks the checksum, refuses a dump from a newer schema, and replaces every table
//! only when told to; then pending migrations bring an older dump up to date. [`Backups`] is the
//! running server's view of its backup folder: the schedule, "back up now", and the last outcome.

mod manifest;
mod pg;
pub mod schedule;
mod service;

pub use manifest::{Manifest, path_for as manifest_path};
pub use schedule::BackupSchedule;
pub use service::{Backups, TakeError};

use anyhow::{Context as _, bail};
use chrono::{DateTime, SecondsFormat, Utc};
use diesel::QueryableByName;
use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use std::path::{Path, PathBuf};

/// A dump found in a folder, with its manifest and whether the file still matches it.
#[derive(Debug, Clone)]
pub struct Backup {
    pub dump: PathBuf,
    pub manifest: Manifest,
    /// Size and SHA-256 are what the manifest says.
    pub intact: bool,
}

impl Backup {
    /// The dump's file name (what the admin page shows and downloads by).
    pub fn name(&self) -> String {
        self.dump
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    pub fn created(&self) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(&self.manifest.created_at)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }
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

/// Writes the dump and its manifest to `out` (default: `berth-<time>.dump` in the current
/// folder); returns the dump's path.
pub async fn create(database_url: &str, out: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    let schema = schema_version(database_url).await?;
    let now = Utc::now();
    let out = out.unwrap_or_else(|| {
        PathBuf::from(format!("berth-{}.dump", now.format("%Y-%m-%dT%H-%M-%SZ")))
    });
    if out.exists() {
        bail!("{} exists already; choose another --out", out.display());
    }
    // Written under a temporary name and renamed: a dump that is there is whole.
    let partial = out.with_extension("dump.partial");
    let args = vec![
        "--format=custom".into(),
        "--no-owner".into(),
        "--no-privileges".into(),
        "--file".into(),
        partial.clone().into_os_string(),
    ];
    if let Err(error) = pg::run("pg_dump", database_url, args).await {
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
pub fn list(dir: &Path) -> anyhow::Result<Vec<Backup>> {
    scan(dir, true)
}

/// Like [`list`]; without `verify` the dumps are not read (`intact` then means "has a
/// manifest", which is written only once its dump is whole): cheap enough for every readiness
/// check.
fn scan(dir: &Path, verify: bool) -> anyhow::Result<Vec<Backup>> {
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
            let intact = !verify
                || manifest::digest(&dump).is_ok_and(|(bytes, sha)| {
                    bytes == manifest.dump_bytes && sha == manifest.dump_sha256
                });
            found.push(Backup {
                dump,
                manifest,
                intact,
            });
        }
    }
    found.sort_by(|a, b| a.manifest.created_at.cmp(&b.manifest.created_at));
    Ok(found)
}

/// Checks the backup, then (with `yes`) replaces the database's tables with it and migrates.
pub async fn restore(database_url: &str, file: &Path, yes: bool) -> anyhow::Result<Manifest> {
    let manifest = manifest::read(file)?;
    let (bytes, sha) = manifest::digest(file)?;
    if bytes != manifest.dump_bytes || sha != manifest.dump_sha256 {
        bail!(
            "{} does not match its manifest's checksum: it is damaged or not the file the manifest describes",
            file.display()
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
    if !yes {
        bail!(
            "restoring replaces every table of database {:?} with the backup of {}; run again with --yes to do it",
            database_name(database_url),
            manifest.created_at
        );
    }
    let args = vec![
        "--clean".into(),
        "--if-exists".into(),
        "--no-owner".into(),
        "--no-privileges".into(),
        "--single-transaction".into(),
        "--exit-on-error".into(),
        file.as_os_str().to_owned(),
    ];
    pg::run("pg_restore", database_url, args).await?;
    berth_db::migrations::run_pending(database_url)
        .await
        .context("restored, but the migrations after it failed")?;
    Ok(manifest)
}
