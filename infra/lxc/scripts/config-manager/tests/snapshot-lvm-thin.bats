#!/usr/bin/env bats
# The LVM thin backend: on a real thin pool (a loop device) when the kernel has device-mapper's
# thin-pool target, and always against recording stubs of the LVM commands.

# A skip in setup_file counts as a failure in bats 1.8: the reason is kept for the tests.
setup_file() {
  load loop-device
  export MNT=$BATS_FILE_TMPDIR/mnt VG=berthcm$$ REAL_LVM=0 LVM_WHY= LVM_SUPPRESS_FD_WARNINGS=1
  if ! command -v lvcreate >/dev/null || ! command -v thin_check >/dev/null; then
    LVM_WHY="lvm2 or thin-provisioning-tools is not installed"
  elif ! dmsetup targets 2>/dev/null | grep -q '^thin-pool'; then
    LVM_WHY="the kernel has no device-mapper thin-pool target"
  elif ! loop_attach 256M; then
    LVM_WHY=$LOOP_WHY
  else
    export LOOP_DEV LOOP_IMAGE
    mkdir -p "$MNT"
    if pvcreate -q "$LOOP_DEV" && vgcreate -q "$VG" "$LOOP_DEV" &&
      lvcreate -q -L 128M -T "$VG/pool" && lvcreate -q -V 64M -T "$VG/pool" -n root &&
      mkfs.ext4 -q "/dev/$VG/root" && mount "/dev/$VG/root" "$MNT"; then
      REAL_LVM=1
    else
      LVM_WHY="could not build a thin pool on $LOOP_DEV"
    fi
  fi
}

teardown_file() {
  load loop-device
  unmount "$MNT"
  if [[ -n ${LOOP_DEV:-} ]]; then
    vgremove -q -f "$VG" >/dev/null 2>&1 || true
    pvremove -q "$LOOP_DEV" >/dev/null 2>&1 || true
  fi
  loop_detach
}

setup() {
  load helpers
  cm_setup
}

real_lvm() {
  if ((!REAL_LVM)); then skip "real LVM thin: $LVM_WHY"; fi
  export CM_SNAPSHOT_BACKEND=lvm-thin CM_SNAPSHOT_TARGET=$VG/root CM_LVM_MOUNT=$MNT CM_ROOT=$MNT
}

@test "lvm-thin (real): a failed apply is rolled back byte for byte" {
  real_lvm
  mkdir -p "$MNT/etc" "$MNT/srv"
  printf 'a\n' >"$MNT/etc/app.conf"
  head -c 65536 /dev/urandom >"$MNT/srv/blob"
  before=$(tree_digest "$MNT")
  add_file /etc/app.conf 0644 "$ME" "$MY_GROUP" 'b'
  add_script 10-break "rm -f '$MNT/srv/blob'; exit 1"
  run "$CM" apply "$BUNDLE" --json
  [ "$status" -eq 4 ]
  [[ $output == *'"verified":true'* ]]
  [ "$before" = "$(tree_digest "$MNT")" ]
  [ "$(lvs --noheadings -o origin "$VG/root" | tr -d ' ')" = root-cm-0001 ]
}

@test "lvm-thin (real): snapshot delete removes the volume" {
  real_lvm
  "$CM" snapshot create
  lvs "$VG/root-cm-0001" >/dev/null
  "$CM" snapshot delete 0001
  ! lvs "$VG/root-cm-0001" >/dev/null 2>&1
}

# lvm_stubs: lvs, lvcreate, lvrename, lvchange, lvremove, mountpoint, umount and mount that
# record their arguments; lvs says the target is thin and, after a restore, whose snapshot it is.
lvm_stubs() {
  local bin=$BATS_TEST_TMPDIR/bin tool
  for tool in lvcreate lvrename lvchange lvremove umount mount; do
    printf '#!/bin/sh\necho "%s $*" >>"$STUB_LOG"\n' "$tool" >"$bin/$tool"
  done
  printf '#!/bin/sh\necho "mountpoint $*" >>"$STUB_LOG"\nexit 0\n' >"$bin/mountpoint"
  cat >"$bin/lvs" <<'STUB'
#!/bin/sh
case "$*" in
  *segtype*) echo "  thin" ;;
  *origin*) echo "  $(sed -n 's/^lvcreate .*--name root \(.*\)$/\1/p' "$STUB_LOG" | tail -n 1 | sed 's|.*/||') active" ;;
esac
STUB
  chmod +x "$bin"/*
  export CM_SNAPSHOT_BACKEND=lvm-thin CM_SNAPSHOT_TARGET=vg0/root CM_LVM_MOUNT=/mnt/root
}

@test "lvm-thin (stubs): create is a tagged thin snapshot" {
  lvm_stubs
  run "$CM" snapshot create
  [ "$status" -eq 0 ]
  [ "$(calls '^lvcreate')" = "lvcreate -q --snapshot --name root-cm-0001 --addtag berth-config-manager -- vg0/root" ]
}

@test "lvm-thin (stubs): restore unmounts, swaps in a snapshot of the snapshot, mounts again" {
  lvm_stubs
  "$CM" snapshot create
  : >"$STUB_LOG"
  run "$CM" snapshot restore 0001
  [ "$status" -eq 0 ]
  [ "$(calls '^(lv|u?mount )')" = "umount -- /mnt/root
lvrename -q -- vg0 root root-cm-old
lvcreate -q --snapshot --name root -- vg0/root-cm-0001
lvchange -q -ay -K -- vg0/root
lvremove -q -y -- vg0/root-cm-old
mount -- /dev/vg0/root /mnt/root" ]
}

@test "lvm-thin (stubs): delete removes the snapshot volume" {
  lvm_stubs
  "$CM" snapshot create
  "$CM" snapshot delete 0001
  [ "$(calls '^lvremove')" = "lvremove -q -y -- vg0/root-cm-0001" ]
}
