# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# The btrfs backend: CM_SNAPSHOT_TARGET is a subvolume (not a mount point, so that it can be
# swapped); snapshots are read-only subvolumes beside it in CM_BTRFS_SNAPSHOTS (default: the
# target's parent/.berth-snapshots). A restore swaps in a writable snapshot of the snapshot.

btrfs_dir() { printf '%s' "${CM_BTRFS_SNAPSHOTS:-$(dirname -- "$CM_SNAPSHOT_TARGET")/.berth-snapshots}"; }

snap_btrfs_available() {
  [[ -n $CM_SNAPSHOT_TARGET ]] && command -v btrfs >/dev/null &&
    btrfs subvolume show -- "$CM_SNAPSHOT_TARGET" >/dev/null 2>&1
}

snap_btrfs_create() {
  mkdir -p -- "$(btrfs_dir)"
  btrfs -q subvolume snapshot -r -- "$CM_SNAPSHOT_TARGET" "$(btrfs_dir)/cm-$1" >/dev/null
}

snap_btrfs_restore() {
  local target=$CM_SNAPSHOT_TARGET
  btrfs -q subvolume snapshot -- "$(btrfs_dir)/cm-$1" "$target.cm-restore" >/dev/null || return
  mv -T -- "$target" "$target.cm-old" || { btrfs -q subvolume delete -- "$target.cm-restore"; return 1; }
  mv -T -- "$target.cm-restore" "$target" || return
  btrfs -q subvolume delete -- "$target.cm-old" >/dev/null ||
    warn "the replaced subvolume $target.cm-old is left over (nested subvolumes?)"
}

snap_btrfs_verify() {
  diff -r --no-dereference -- "$(btrfs_dir)/cm-$1" "$CM_SNAPSHOT_TARGET" >/dev/null
}

snap_btrfs_delete() { btrfs -q subvolume delete -- "$(btrfs_dir)/cm-$1" >/dev/null; }
