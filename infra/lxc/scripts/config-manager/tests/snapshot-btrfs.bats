#!/usr/bin/env bats
# The btrfs backend on a real btrfs filesystem (a loop device): the managed root is a subvolume,
# a failed apply swaps its snapshot back in, and the tree is compared byte for byte.

# A skip in setup_file counts as a failure in bats 1.8: the reason is kept for setup to skip with.
setup_file() {
  load loop-device
  export MNT=$BATS_FILE_TMPDIR/mnt BTRFS_WHY=
  if ! command -v mkfs.btrfs >/dev/null; then
    BTRFS_WHY="btrfs-progs is not installed"
  elif ! loop_attach 160M; then
    BTRFS_WHY=$LOOP_WHY
  else
    export LOOP_DEV LOOP_IMAGE
    mkdir -p "$MNT"
    if ! mkfs.btrfs -q "$LOOP_DEV" >/dev/null 2>&1 || ! mount "$LOOP_DEV" "$MNT" 2>/dev/null; then
      BTRFS_WHY="cannot make or mount a btrfs filesystem here"
    fi
  fi
}

teardown_file() {
  load loop-device
  unmount "$MNT"
  loop_detach
}

setup() {
  if [[ -n $BTRFS_WHY ]]; then skip "real btrfs: $BTRFS_WHY"; fi
  load helpers
  cm_setup
  export CM_SNAPSHOT_BACKEND=btrfs CM_SNAPSHOT_TARGET=$MNT/root$BATS_TEST_NUMBER
  export CM_ROOT=$CM_SNAPSHOT_TARGET CM_BTRFS_SNAPSHOTS=$MNT/snapshots$BATS_TEST_NUMBER
  btrfs -q subvolume create "$CM_SNAPSHOT_TARGET"
  mkdir -p "$CM_ROOT/etc/app" "$CM_ROOT/var/lib/app"
  printf 'port = 80\n' >"$CM_ROOT/etc/app/app.conf"
  head -c 65536 /dev/urandom >"$CM_ROOT/var/lib/app/data"
  ln -s /etc/app/app.conf "$CM_ROOT/etc/app/current"
  chown nobody "$CM_ROOT/var/lib/app/data"
}

@test "btrfs: auto picks btrfs for a subvolume" {
  CM_SNAPSHOT_BACKEND=auto run "$CM" snapshot create
  [ "$status" -eq 0 ]
  [[ $output == *"(btrfs, manual)"* ]]
  btrfs subvolume show "$CM_BTRFS_SNAPSHOTS/cm-0001" | grep -q 'Flags:.*readonly'
}

@test "btrfs: a failed apply is rolled back byte for byte, packages' files included" {
  before=$(tree_digest "$CM_ROOT")
  add_file /etc/app/app.conf 0644 "$ME" "$MY_GROUP" 'port = 9999
'
  add_script 10-break "rm -rf '$CM_ROOT/var/lib/app'; echo x >'$CM_ROOT/etc/stray'; exit 1"
  run "$CM" apply "$BUNDLE" --json
  [ "$status" -eq 4 ]
  [[ $output == *'"rollback":{"snapshot":"0001","verified":true}'* ]]
  [ "$before" = "$(tree_digest "$CM_ROOT")" ]
  [ ! -e "$CM_SNAPSHOT_TARGET.cm-old" ] && [ ! -e "$CM_SNAPSHOT_TARGET.cm-restore" ]
}

@test "btrfs: snapshot restore, list and delete" {
  "$CM" snapshot create
  before=$(tree_digest "$CM_ROOT")
  echo changed >"$CM_ROOT/etc/app/app.conf"
  run "$CM" snapshot restore 0001
  [ "$status" -eq 0 ]
  [ "$before" = "$(tree_digest "$CM_ROOT")" ]
  run "$CM" snapshot delete 0001
  [ "$status" -eq 0 ]
  [ ! -e "$CM_BTRFS_SNAPSHOTS/cm-0001" ]
}

@test "btrfs: a target that is not a subvolume is unavailable (69)" {
  CM_SNAPSHOT_TARGET=$CM_ROOT/etc run "$CM" snapshot create
  [ "$status" -eq 69 ]
}
