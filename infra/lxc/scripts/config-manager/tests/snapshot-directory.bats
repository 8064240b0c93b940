#!/usr/bin/env bats
# The directory backend (always available) and the snapshot commands, with byte-for-byte checks
# of what a restore or a rollback puts back.

setup() {
  load helpers
  cm_setup
  export CM_SNAPSHOT_BACKEND=directory
}

# A tree with the things a copy can get wrong: modes, owners, a symlink, an empty directory, a
# file with no newline at its end, and binary content.
make_tree() {
  mkdir -p "$CM_ROOT/etc/app/conf.d/empty" "$CM_ROOT/srv/data"
  printf 'port = 80\n' >"$CM_ROOT/etc/app/app.conf"
  printf 'no newline' >"$CM_ROOT/etc/app/conf.d/10-local.conf"
  head -c 4096 /dev/urandom >"$CM_ROOT/srv/data/blob"
  ln -s ../app/app.conf "$CM_ROOT/etc/app/conf.d/link"
  chmod 0600 "$CM_ROOT/etc/app/app.conf"
  chmod 2750 "$CM_ROOT/srv/data"
  if ((EUID == 0)); then chown nobody:nogroup "$CM_ROOT/srv/data/blob"; fi
}

bats_require_minimum_version 1.5.0

@test "snapshot create, list, restore and delete" {
  export CM_SNAPSHOT_PATHS=/etc/app:/srv/data
  make_tree
  before=$(tree_digest "$CM_ROOT")
  run --separate-stderr "$CM" snapshot create --json
  [ "$status" -eq 0 ]
  [ "$output" = '{"command":"snapshot create","snapshot":"0001"}' ]
  run "$CM" snapshot list
  [[ ${lines[1]} == "0001 "*" directory manual    yes" ]]
  rm -rf "$CM_ROOT/etc/app/conf.d"
  echo changed >"$CM_ROOT/etc/app/app.conf"
  chmod 0644 "$CM_ROOT/etc/app/app.conf"
  echo new >"$CM_ROOT/srv/data/new"
  run --separate-stderr "$CM" snapshot restore 0001 --json
  [ "$status" -eq 0 ]
  [ "$output" = '{"command":"rollback","result":"rolled_back","exit_code":0,"snapshot":"0001","verified":true}' ]
  [ "$before" = "$(tree_digest "$CM_ROOT")" ]
  run "$CM" snapshot delete 0001
  [ "$status" -eq 0 ]
  run "$CM" snapshot list --json
  [ "$output" = '[]' ]
}

@test "a failed apply is rolled back: the tree is byte for byte as before" {
  export CM_SNAPSHOT_PATHS=/srv/data
  make_tree
  add_file /etc/app/app.conf 0644 "$ME" "$MY_GROUP" 'port = 80
'
  "$CM" apply "$BUNDLE"
  before=$(tree_digest "$CM_ROOT")
  printf 'port = 9999\n' >"$BUNDLE/files/content/etc/app/app.conf"
  add_file /etc/newdir/deep/new.conf 0600 "$ME" "$MY_GROUP" 'new'
  add_script 10-scribble "rm -f '$CM_ROOT/srv/data/blob'; echo junk >'$CM_ROOT/srv/data/junk'; exit 3"
  run "$CM" apply "$BUNDLE" --json
  [ "$status" -eq 4 ]
  [[ $output == *'"result":"rolled_back","exit_code":4'* ]]
  [[ $output == *'"rollback":{"snapshot":"0002","verified":true}'* ]]
  [ "$before" = "$(tree_digest "$CM_ROOT")" ]
  [ ! -e "$CM_ROOT/etc/newdir" ]
  # config-manager's own records came back too: no conflict, and a fixed bundle applies.
  rm "$BUNDLE/scripts/10-scribble"
  run "$CM" apply "$BUNDLE"
  [ "$status" -eq 0 ]
  [ "$(cat "$CM_ROOT/etc/newdir/deep/new.conf")" = new ]
}

@test "rollback restores the newest good snapshot" {
  add_file /etc/a 0644 "$ME" "$MY_GROUP" 'one'
  "$CM" apply "$BUNDLE"
  printf 'two' >"$BUNDLE/files/content/etc/a"
  "$CM" apply "$BUNDLE"
  before=$(tree_digest "$CM_ROOT")
  printf 'three' >"$BUNDLE/files/content/etc/a"
  "$CM" apply "$BUNDLE"
  run "$CM" rollback --json
  [ "$status" -eq 0 ]
  [[ $output == *'"snapshot":"0003","verified":true'* ]]
  [ "$before" = "$(tree_digest "$CM_ROOT")" ]
  [ "$(cat "$CM_ROOT/etc/a")" = two ]
  run "$CM" rollback 0002
  [ "$(cat "$CM_ROOT/etc/a")" = one ]
  run "$CM" rollback 0001 # taken before the first apply, when there was no /etc/a
  [ ! -e "$CM_ROOT/etc/a" ]
}

@test "snapshots taken while the container is in a bad state are not picked by rollback" {
  add_file /etc/a 0644 "$ME" "$MY_GROUP" 'one'
  "$CM" apply "$BUNDLE"
  echo bad >"$CM_STATE/health"
  "$CM" snapshot create
  run "$CM" snapshot list --json
  [[ $output == *'"id":"0002"'*'"good":false}]' ]]
  run "$CM" rollback --json
  [[ $output == *'"snapshot":"0001"'* ]]
}

@test "old pre-apply snapshots are pruned, manual ones kept" {
  export CM_SNAPSHOT_KEEP=2
  add_file /etc/a 0644 "$ME" "$MY_GROUP" 'x'
  "$CM" snapshot create
  for _ in 1 2 3 4; do "$CM" apply "$BUNDLE"; done
  run "$CM" snapshot list
  [ "$(printf '%s\n' "${lines[@]:1}" | awk '{print $1, $4}' | tr '\n' ' ')" = "0001 manual 0004 pre-apply 0005 pre-apply " ]
}

@test "a restore that does not verify is a rollback failure (5)" {
  add_file /etc/a 0644 "$ME" "$MY_GROUP" 'one'
  "$CM" apply "$BUNDLE"
  "$CM" snapshot create
  # The copy is lost: the restore cannot put /etc/a back.
  rm -rf "$CM_STATE/snapshots/0002/tree"
  run --separate-stderr "$CM" rollback 0002 --json
  [ "$status" -eq 5 ]
  [[ $output == *'"result":"rollback_failed"'* ]]
  [ "$(cat "$CM_ROOT/etc/a")" = one ] # the failed copy did not take the file away
  run "$CM" status --json
  [[ $output == *'"health":"bad"'* ]]
}

@test "without snapshots a failed apply is reported as not rolled back (5)" {
  export CM_SNAPSHOT_BACKEND=none
  add_script 10-fail 'exit 1'
  run "$CM" apply "$BUNDLE" --json
  [ "$status" -eq 5 ]
  [[ $output == *'"result":"failed"'*'"rollback":null'* ]]
}
