//! Running `pg_dump` and `pg_restore`: found on PATH or in the newest
//! `/usr/lib/postgresql/*/bin`; the password goes in `PGPASSWORD`, never on a command line.

use anyhow::{Context as _, bail};
use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::Command;

/// The tool, from PATH first, else Debian's versioned folders (newest first).
pub fn tool(name: &str) -> anyhow::Result<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    if let Some(found) = std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
    {
        return Ok(found);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin").join(name)))
        })
        .filter(|(_, p)| p.is_file())
        .collect();
    versions.sort();
    match versions.pop() {
        Some((_, found)) => Ok(found),
        None => bail!("{name} was not found on PATH (install postgresql-client)"),
    }
}

/// The connection URL without its password, and the password apart.
pub fn split_password(database_url: &str) -> anyhow::Result<(String, Option<String>)> {
    let mut url = url::Url::parse(database_url).context("BERTH_DATABASE_URL is not a URL")?;
    let password = url.password().map(|p| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    });
    let _ = url.set_password(None);
    Ok((url.to_string(), password))
}

/// Runs a Postgres tool against the database; its stderr becomes the error.
pub fn run(name: &str, database_url: &str, args: &[&OsStr]) -> anyhow::Result<()> {
    let (url, password) = split_password(database_url)?;
    let mut command = Command::new(tool(name)?);
    command.arg("--dbname").arg(url).args(args);
    command.env_remove("PGPASSWORD");
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let out = command
        .output()
        .with_context(|| format!("cannot run {name}"))?;
    if !out.status.success() {
        bail!(
            "{name} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}
