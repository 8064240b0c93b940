//! Copying parts of the host's `/etc` into a sandbox: links stay links, modes are kept.

use std::fs;
use std::io;
use std::os::unix::fs::{PermissionsExt as _, symlink};
use std::path::Path;

/// Copies `src` (file, link or directory tree) to `dst`; a `src` the host lacks is skipped.
pub fn copy_tree(src: &Path, dst: &Path) -> io::Result<()> {
    let meta = match fs::symlink_metadata(src) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let kind = meta.file_type();
    if kind.is_symlink() {
        symlink(fs::read_link(src)?, dst)
    } else if kind.is_dir() {
        fs::create_dir_all(dst)?;
        for entry in fs::read_dir(src)? {
            let entry = entry?;
            copy_tree(&entry.path(), &dst.join(entry.file_name()))?;
        }
        fs::set_permissions(dst, fs::Permissions::from_mode(meta.permissions().mode()))
    } else if kind.is_file() {
        fs::copy(src, dst).map(drop)
    } else {
        // Sockets, fifos and devices have no place in a template's /etc.
        Ok(())
    }
}
