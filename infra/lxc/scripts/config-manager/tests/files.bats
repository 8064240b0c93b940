#!/usr/bin/env bats
# Managed files and conflict detection: mode and owner, idempotence, local changes reported with
# a diff and kept unless --force, files a bundle drops.

setup() {
  load helpers
  cm_setup
  export CM_SNAPSHOT_BACKEND=directory
}

@test "files are written with their mode and owner, directories created" {
  ((EUID == 0)) || skip "giving files to other users needs root"
  add_file /etc/app/app.conf 0640 root nogroup 'port = 80
'
  add_file /usr/local/bin/tool 0755 nobody root '#!/bin/sh
'
  run "$CM" apply "$BUNDLE" --json
  [ "$status" -eq 0 ]
  [[ $output == *'"files_written":["/etc/app/app.conf","/usr/local/bin/tool"]'* ]]
  [ "$(stat -c '%a %U %G' "$CM_ROOT/etc/app/app.conf")" = "640 root nogroup" ]
  [ "$(stat -c '%a %U %G' "$CM_ROOT/usr/local/bin/tool")" = "755 nobody root" ]
  [ "$(cat "$CM_ROOT/etc/app/app.conf")" = "port = 80" ]
}

@test "a second apply writes nothing" {
  add_file /etc/app/app.conf 0644 "$ME" "$MY_GROUP" 'a'
  "$CM" apply "$BUNDLE"
  before=$(tree_digest "$CM_ROOT"; stat -c %Y "$CM_ROOT/etc/app/app.conf")
  run "$CM" apply "$BUNDLE" --json
  [[ $output == *'"files_written":[]'* ]]
  [ "$before" = "$(tree_digest "$CM_ROOT"; stat -c %Y "$CM_ROOT/etc/app/app.conf")" ]
}

@test "a changed mode or owner alone is put right" {
  add_file /etc/app/app.conf 0600 "$ME" "$MY_GROUP" 'a'
  "$CM" apply "$BUNDLE"
  chmod 0666 "$CM_ROOT/etc/app/app.conf"
  run "$CM" apply "$BUNDLE" --json
  [ "$status" -eq 0 ]
  [ "$(stat -c %a "$CM_ROOT/etc/app/app.conf")" = 600 ]
}

@test "a file changed in the container is a conflict: reported with a diff, not overwritten (3)" {
  add_file /etc/app/app.conf 0644 "$ME" "$MY_GROUP" 'port = 80
'
  "$CM" apply "$BUNDLE"
  echo 'port = 8080' >"$CM_ROOT/etc/app/app.conf"
  add_script 10-mark "touch '$CM_ROOT/script-ran'"
  printf 'port = 81\n' >"$BUNDLE/files/content/etc/app/app.conf"
  run "$CM" apply "$BUNDLE" --json
  [ "$status" -eq 3 ]
  [[ $output == *'"result":"conflicts"'* ]]
  [[ $output == *'"conflicts":[{"path":"/etc/app/app.conf","diff":"--- /etc/app/app.conf (as config-manager wrote it)\n+++ /etc/app/app.conf (in the container now)\n@@ -1 +1 @@\n-port = 80\n+port = 8080"}]'* ]]
  [[ $output == *"+port = 8080"* ]] # the diff is in the log as well
  [ "$(cat "$CM_ROOT/etc/app/app.conf")" = "port = 8080" ]
  [ ! -e "$CM_ROOT/script-ran" ]
}

@test "--force overwrites a conflicting file" {
  add_file /etc/app/app.conf 0644 "$ME" "$MY_GROUP" 'a'
  "$CM" apply "$BUNDLE"
  echo local >"$CM_ROOT/etc/app/app.conf"
  printf 'b' >"$BUNDLE/files/content/etc/app/app.conf"
  run "$CM" apply "$BUNDLE" --force --json
  [ "$status" -eq 0 ]
  [[ $output == *'"result":"applied"'*'"conflicts":[{"path":"/etc/app/app.conf"'* ]]
  [ "$(cat "$CM_ROOT/etc/app/app.conf")" = b ]
}

@test "a local change the new bundle agrees with is no conflict" {
  add_file /etc/app/app.conf 0644 "$ME" "$MY_GROUP" 'a'
  "$CM" apply "$BUNDLE"
  printf 'b' >"$CM_ROOT/etc/app/app.conf"
  printf 'b' >"$BUNDLE/files/content/etc/app/app.conf"
  run "$CM" apply "$BUNDLE"
  [ "$status" -eq 0 ]
}

@test "a deleted managed file is a conflict too" {
  add_file /etc/app/app.conf 0644 "$ME" "$MY_GROUP" 'a'
  "$CM" apply "$BUNDLE"
  rm "$CM_ROOT/etc/app/app.conf"
  run "$CM" apply "$BUNDLE"
  [ "$status" -eq 3 ]
  [[ $output == *"-a"* ]]
}

@test "the conflicts command lists local changes without a bundle" {
  add_file /etc/a 0644 "$ME" "$MY_GROUP" 'a'
  add_file /etc/b 0644 "$ME" "$MY_GROUP" 'b'
  "$CM" apply "$BUNDLE"
  run "$CM" conflicts
  [ "$status" -eq 0 ]
  echo x >>"$CM_ROOT/etc/b"
  run "$CM" conflicts --json
  [ "$status" -eq 3 ]
  [[ $output == '{"command":"conflicts","conflicts":[{"path":"/etc/b","diff":'* ]]
  [[ $output != *'/etc/a'* ]]
  run "$CM" status --json
  [[ $output == *'{"path":"/etc/a","state":"ok"},{"path":"/etc/b","state":"changed"}'* ]]
}

@test "files a bundle drops are removed, unless changed in the container" {
  add_file /etc/a 0644 "$ME" "$MY_GROUP" 'a'
  add_file /etc/b 0644 "$ME" "$MY_GROUP" 'b'
  "$CM" apply "$BUNDLE"
  echo local >>"$CM_ROOT/etc/b"
  drop_file /etc/a
  drop_file /etc/b
  run "$CM" apply "$BUNDLE" --json
  [ "$status" -eq 0 ]
  [[ $output == *'"files_removed":["/etc/a"]'* ]]
  [[ $output == *"/etc/b left in place"* ]]
  [ ! -e "$CM_ROOT/etc/a" ] && [ -e "$CM_ROOT/etc/b" ]
  run "$CM" conflicts
  [ "$status" -eq 0 ]
}

@test "scripts run in name order with the bundle's env; a failing one fails the apply" {
  printf 'GREETING=hello world\n' >"$BUNDLE/env"
  add_script 20-second "echo \"second \$GREETING\" >>'$CM_ROOT/order'"
  add_script 10-first "echo first >>'$CM_ROOT/order'"
  run "$CM" apply "$BUNDLE" --json
  [ "$status" -eq 0 ]
  [[ $output == *'"scripts_run":["10-first","20-second"]'* ]]
  [ "$(cat "$CM_ROOT/order")" = "first
second hello world" ]
  add_script 30-temporary 'exit 75'
  run "$CM" apply "$BUNDLE" --json
  [ "$status" -eq 75 ]
  [[ $output == *'"failed_step":"scripts","step_exit_code":75'* ]]
}

@test "a script that runs too long is stopped and counts as temporary" {
  export CM_SCRIPT_TIMEOUT=1
  add_script 10-slow 'sleep 5'
  run "$CM" apply "$BUNDLE"
  [ "$status" -eq 75 ]
  [[ $output == *"did not finish within 1s"* ]]
}
