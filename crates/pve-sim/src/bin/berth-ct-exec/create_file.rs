//! The inside half of `pct push`: runs in the container's sandbox with the source file as stdin
//! and creates the destination like pct's `create_file` — user and group by name (looked up in
//! the container's own /etc) or number, explicit permissions, an existing file truncated.

use std::ffi::OsString;
use std::fs::{File, OpenOptions, Permissions};
use std::io;
use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _, PermissionsExt as _, fchown};
use std::path::Path;

use crate::Fail;

/// The hidden subcommand name.
pub const COMMAND: &str = "__create-file";

/// Root's umask on a node, which pct's default mode for a new file derives from.
const UMASK: u32 = 0o022;

/// `__create-file <destination> [--perms P] [--user U] [--group G]`, content on stdin.
pub fn run(args: &[OsString]) -> Result<(), Fail> {
    let Some(destination) = args.first() else {
        return Err(Fail::pct("berth-ct-exec: no destination"));
    };
    let option = |name: &str| {
        args.windows(2)
            .find(|w| w[0] == *name)
            .map(|w| w[1].to_string_lossy().into_owned())
    };
    let uid = option("--user")
        .map(|u| id_of(&u, "/etc/passwd", "uid"))
        .transpose()?;
    let gid = option("--group")
        .map(|g| id_of(&g, "/etc/group", "gid"))
        .transpose()?;
    let perms = option("--perms").map(|p| mode_of(&p)).transpose()?;
    let path = Path::new(destination);
    let (mut file, perms) = match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o000)
        .open(path)
    {
        Ok(file) => (file, Some(perms.unwrap_or(0o666 & !UMASK))),
        Err(_) => {
            // An existing file keeps its mode unless one is given.
            let file = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(path)
                .map_err(|e| {
                    Fail::pct(format!(
                        "failed to create file: {}: {}",
                        path.display(),
                        errno_text(&e)
                    ))
                })?;
            (file, perms)
        }
    };
    if let Some(mode) = perms {
        file.set_permissions(Permissions::from_mode(mode))
            .map_err(|e| Fail::pct(format!("failed to change file mode: {}", errno_text(&e))))?;
    }
    if uid.is_some() || gid.is_some() {
        let current = file
            .metadata()
            .map_err(|e| Fail::pct(format!("failed to stat file: {}", errno_text(&e))))?;
        fchown(
            &file,
            Some(uid.unwrap_or(current.uid())),
            Some(gid.unwrap_or(current.gid())),
        )
        .map_err(|e| Fail::pct(format!("failed to change file owner: {}", errno_text(&e))))?;
    }
    copy_stdin(&mut file)
        .map_err(|e| Fail::pct(format!("failed to copy the file: {}", errno_text(&e))))
}

fn copy_stdin(file: &mut File) -> io::Result<()> {
    io::copy(&mut io::stdin().lock(), file)?;
    file.sync_all()
}

/// A user or group: decimal, or a name of the container's passwd/group file.
fn id_of(name: &str, table: &str, kind: &str) -> Result<u32, Fail> {
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()) {
        return name
            .parse()
            .map_err(|_| Fail::pct(format!("failed to get {kind} for: {name}")));
    }
    let text = std::fs::read_to_string(table).unwrap_or_default();
    text.lines()
        .map(|line| line.split(':').collect::<Vec<_>>())
        .find(|fields| fields.first() == Some(&name))
        .and_then(|fields| fields.get(2)?.parse().ok())
        .ok_or_else(|| Fail::pct(format!("failed to get {kind} for: {name}")))
}

/// `strtoul(perms, 0)` as pct uses it: `0x…` hexadecimal, otherwise octal (pct has already put a
/// `0` in front), nothing left over.
fn mode_of(perms: &str) -> Result<u32, Fail> {
    let parsed = match perms
        .strip_prefix("0x")
        .or_else(|| perms.strip_prefix("0X"))
    {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => u32::from_str_radix(perms, 8),
    };
    parsed
        .ok()
        .filter(|_| !perms.is_empty())
        .map(|mode| mode & 0o7777)
        .ok_or_else(|| Fail::pct(format!("invalid mode: '{perms}'")))
}

/// The system's text for an error, without Rust's " (os error N)".
fn errno_text(error: &io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_like_strtoul() {
        assert_eq!(mode_of("0644").ok(), Some(0o644));
        assert_eq!(mode_of("0600").ok(), Some(0o600));
        assert_eq!(mode_of("0x1ff").ok(), Some(0o777));
        assert!(mode_of("0x").is_err());
        assert!(mode_of("0789").is_err());
        assert!(mode_of("0644x").is_err());
    }
}
