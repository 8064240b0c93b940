# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# The ZFS backend: CM_SNAPSHOT_TARGET is a dataset; snapshots are DATASET@cm-ID. `zfs rollback -r`
# destroys the snapshots taken after the one restored, so the registry forgets those too.

snap_zfs_available() {
  [[ -n $CM_SNAPSHOT_TARGET && $CM_SNAPSHOT_TARGET != /* ]] && command -v zfs >/dev/null &&
    zfs list -H -o name -- "$CM_SNAPSHOT_TARGET" >/dev/null 2>&1
}

snap_zfs_create() { zfs snapshot -- "$CM_SNAPSHOT_TARGET@cm-$1"; }

snap_zfs_restore() {
  local id
  zfs rollback -r -- "$CM_SNAPSHOT_TARGET@cm-$1" || return
  while IFS= read -r id; do
    if ((10#$id > 10#$1)) && [[ $(snapshot_meta "$id" backend) == zfs ]]; then rm -rf -- "${SNAPSHOTS:?}/$id"; fi
  done < <(snapshot_ids)
}

# Verified when the snapshot is there and nothing was written to the dataset since.
snap_zfs_verify() {
  zfs list -H -t snapshot -o name -- "$CM_SNAPSHOT_TARGET@cm-$1" >/dev/null &&
    [[ $(zfs get -H -p -o value written -- "$CM_SNAPSHOT_TARGET") == 0 ]]
}

snap_zfs_delete() { zfs destroy -- "$CM_SNAPSHOT_TARGET@cm-$1"; }
