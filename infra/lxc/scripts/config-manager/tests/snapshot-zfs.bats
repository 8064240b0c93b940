#!/usr/bin/env bats
# The ZFS backend against a stub `zfs` that records its arguments and keeps a list of snapshots
# (this machine's kernel has no ZFS).

bats_require_minimum_version 1.5.0

setup() {
  load helpers
  cm_setup
  export CM_SNAPSHOT_TARGET=tank/ct/101 ZFS_SNAPSHOTS=$BATS_TEST_TMPDIR/zfs-snapshots
  : >"$ZFS_SNAPSHOTS"
  cat >"$BATS_TEST_TMPDIR/bin/zfs" <<'STUB'
#!/usr/bin/env bash
# zfs, pretended: snapshot, rollback -r, destroy, list and get of the one dataset tank/ct/101.
set -eu
echo "zfs $*" >>"$STUB_LOG"
last=${*: -1}
case $1 in
  snapshot) echo "$last" >>"$ZFS_SNAPSHOTS" ;;
  destroy) grep -vxF "$last" "$ZFS_SNAPSHOTS" >"$ZFS_SNAPSHOTS.new" || true; mv "$ZFS_SNAPSHOTS.new" "$ZFS_SNAPSHOTS" ;;
  rollback) sed -i "\|^$last\$|q" "$ZFS_SNAPSHOTS" ;;
  list) [[ $last == tank/ct/101 ]] || grep -qxF "$last" "$ZFS_SNAPSHOTS" ;;
  get) echo 0 ;;
esac
STUB
  chmod +x "$BATS_TEST_TMPDIR/bin/zfs"
}

@test "zfs: auto picks zfs for a dataset; create takes DATASET@cm-ID" {
  run "$CM" snapshot create
  [ "$status" -eq 0 ]
  [[ $output == *"(zfs, manual)"* ]]
  [ "$(calls '^zfs snapshot')" = "zfs snapshot -- tank/ct/101@cm-0001" ]
}

@test "zfs: a failed apply rolls the dataset back and verifies it" {
  export CM_SNAPSHOT_BACKEND=zfs
  add_script 10-fail 'exit 2'
  run "$CM" apply "$BUNDLE" --json
  [ "$status" -eq 4 ]
  [[ $output == *'"rollback":{"snapshot":"0001","verified":true}'* ]]
  [ "$(calls '^zfs (rollback|get)')" = "zfs rollback -r -- tank/ct/101@cm-0001
zfs get -H -p -o value written -- tank/ct/101" ]
}

@test "zfs: restoring an older snapshot forgets the later ones, which zfs rollback -r destroyed" {
  export CM_SNAPSHOT_BACKEND=zfs
  "$CM" snapshot create
  "$CM" snapshot create
  "$CM" snapshot create
  run "$CM" snapshot restore 0001
  [ "$status" -eq 0 ]
  run --separate-stderr "$CM" snapshot list --json
  [[ $output == '[{"id":"0001",'*'}]' && $output != *0002* ]]
  [ "$(cat "$ZFS_SNAPSHOTS")" = "tank/ct/101@cm-0001" ]
}

@test "zfs: delete destroys the snapshot" {
  export CM_SNAPSHOT_BACKEND=zfs
  "$CM" snapshot create
  "$CM" snapshot delete 0001
  [ "$(calls '^zfs destroy')" = "zfs destroy -- tank/ct/101@cm-0001" ]
  [ ! -s "$ZFS_SNAPSHOTS" ]
}

@test "zfs: a dataset that does not exist is unavailable (69)" {
  CM_SNAPSHOT_BACKEND=zfs CM_SNAPSHOT_TARGET=tank/nope run "$CM" snapshot create
  [ "$status" -eq 69 ]
}
