# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# The LVM thin backend: CM_SNAPSHOT_TARGET is VG/LV, a thin volume; snapshots are thin snapshots
# VG/LV-cm-ID tagged berth-config-manager. A restore unmounts CM_LVM_MOUNT (when set), puts a
# fresh snapshot of the snapshot in the origin's place, activates and mounts it again.

snap_lvm_thin_available() {
  [[ $CM_SNAPSHOT_TARGET =~ ^[A-Za-z0-9+_.-]+/[A-Za-z0-9+_.-]+$ ]] && command -v lvs >/dev/null &&
    [[ $(lvs --noheadings -o segtype -- "$CM_SNAPSHOT_TARGET" 2>/dev/null) == *thin* ]]
}

snap_lvm_thin_create() {
  lvcreate -q --snapshot --name "${CM_SNAPSHOT_TARGET#*/}-cm-$1" --addtag berth-config-manager \
    -- "$CM_SNAPSHOT_TARGET" >/dev/null
}

snap_lvm_thin_restore() {
  local vg=${CM_SNAPSHOT_TARGET%/*} lv=${CM_SNAPSHOT_TARGET#*/}
  if [[ -n $CM_LVM_MOUNT ]] && mountpoint -q -- "$CM_LVM_MOUNT"; then umount -- "$CM_LVM_MOUNT" || return; fi
  lvrename -q -- "$vg" "$lv" "$lv-cm-old" >/dev/null || return
  if ! lvcreate -q --snapshot --name "$lv" -- "$vg/$lv-cm-$1" >/dev/null; then
    lvrename -q -- "$vg" "$lv-cm-old" "$lv" >/dev/null
    return 1
  fi
  lvchange -q -ay -K -- "$vg/$lv" || return
  lvremove -q -y -- "$vg/$lv-cm-old" >/dev/null || warn "the replaced volume $vg/$lv-cm-old is left over"
  if [[ -n $CM_LVM_MOUNT ]]; then mount -- "/dev/$vg/$lv" "$CM_LVM_MOUNT"; fi
}

# Verified when the volume now descends from the snapshot and is active (and mounted, if it was).
snap_lvm_thin_verify() {
  local lv=${CM_SNAPSHOT_TARGET#*/} origin active
  read -r origin active < <(lvs --noheadings -o origin,lv_active -- "$CM_SNAPSHOT_TARGET")
  [[ $origin == "$lv-cm-$1" && $active == active ]] || return 1
  [[ -z $CM_LVM_MOUNT ]] || mountpoint -q -- "$CM_LVM_MOUNT"
}

snap_lvm_thin_delete() { lvremove -q -y -- "$CM_SNAPSHOT_TARGET-cm-$1" >/dev/null; }
