//! Running `pg_dump` and `pg_restore` (found by `berth_runtime::pg_tools`); the password goes in
//! `PGPASSWORD`, never on a command line.

use anyhow::{Context as _, bail};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

/// The tool, or what to install for it.
fn tool(name: &str) -> anyhow::Result<PathBuf> {
    berth_runtime::pg_tools::find(name)
        .with_context(|| format!("{name} was not found on PATH (install postgresql-client)"))
}

/// The connection URL without its password, and the password apart.
fn split_password(database_url: &str) -> anyhow::Result<(String, Option<String>)> {
    let mut url = url::Url::parse(database_url).context("BERTH_DATABASE_URL is not a URL")?;
    let password = url.password().map(|p| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    });
    let _ = url.set_password(None);
    Ok((url.to_string(), password))
}

/// Runs a Postgres tool against the database, off the async threads (a dump takes a while);
/// its stderr becomes the error.
pub async fn run(name: &str, database_url: &str, args: Vec<OsString>) -> anyhow::Result<()> {
    let name = name.to_string();
    let database_url = database_url.to_string();
    tokio::task::spawn_blocking(move || run_blocking(&name, &database_url, &args))
        .await
        .context("the backup task stopped")?
}

fn run_blocking(name: &str, database_url: &str, args: &[OsString]) -> anyhow::Result<()> {
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
