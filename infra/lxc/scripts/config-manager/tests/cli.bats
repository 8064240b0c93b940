#!/usr/bin/env bats
# The command line: help, usage errors, bad bundles, settings, the lock, status of a fresh machine.

bats_require_minimum_version 1.5.0

setup() {
  load helpers
  cm_setup
}

@test "--help describes the commands and the exit codes" {
  run "$CM" --help
  [ "$status" -eq 0 ]
  [[ $output == *"snapshot restore ID"* ]]
  [[ $output == *"3 conflicts"* && $output == *"75 temporary failure"* ]]
}

@test "usage errors exit with 64" {
  run "$CM"
  [ "$status" -eq 64 ]
  run "$CM" frobnicate
  [ "$status" -eq 64 ]
  run "$CM" apply
  [ "$status" -eq 64 ]
  run "$CM" status --bogus
  [ "$status" -eq 64 ]
  run "$CM" snapshot
  [ "$status" -eq 64 ]
  run "$CM" snapshot restore 9999
  [ "$status" -eq 64 ]
}

@test "a bad bundle exits with 65 and changes nothing" {
  run "$CM" apply "$BATS_TEST_TMPDIR/nowhere"
  [ "$status" -eq 65 ]
  rm "$BUNDLE/bundle.conf"
  run "$CM" apply "$BUNDLE"
  [ "$status" -eq 65 ]
  make_bundle demo 1
  add_file etc/relative 0644 "$ME" "$MY_GROUP" x
  run "$CM" apply "$BUNDLE"
  [ "$status" -eq 65 ]
  [[ $output == *"absolute"* ]]
  make_bundle demo 1
  set_packages yum curl
  run "$CM" apply "$BUNDLE"
  [ "$status" -eq 65 ]
  [[ $output == *"unknown package manager 'yum'"* ]]
  make_bundle demo 1
  set_packages apt 'curl;reboot'
  run "$CM" apply "$BUNDLE"
  [ "$status" -eq 65 ]
  make_bundle demo 1
  add_file /etc/x 0999 "$ME" "$MY_GROUP" x
  run "$CM" apply "$BUNDLE"
  [ "$status" -eq 65 ]
  [ ! -e "$CM_STATE/snapshots" ]
}

@test "settings come from the config file unless the environment has them" {
  printf 'CM_SNAPSHOT_BACKEND=none\nCM_SNAPSHOT_KEEP = "3"\n# a comment\n' >"$CM_CONFIG"
  add_file /etc/x 0644 "$ME" "$MY_GROUP" x
  run "$CM" apply "$BUNDLE" --json
  [ "$status" -eq 0 ]
  [[ $output == *'"snapshot":null'* ]]
  CM_SNAPSHOT_BACKEND=directory run "$CM" apply "$BUNDLE" --json
  [[ $output == *'"snapshot":"0001"'* ]]
}

@test "an unknown setting or a missing named config file is a usage error" {
  printf 'CM_TYPO=1\n' >"$CM_CONFIG"
  run "$CM" status
  [ "$status" -eq 64 ]
  [[ $output == *"unknown setting 'CM_TYPO'"* ]]
  run "$CM" status --config "$BATS_TEST_TMPDIR/missing.conf"
  [ "$status" -eq 64 ]
  CM_SNAPSHOT_BACKEND=overlay run "$CM" status
  [ "$status" -eq 64 ]
}

@test "a second run while one holds the lock is told to retry (75)" {
  mkdir -p "$CM_STATE"
  exec 9>"$CM_STATE/lock"
  flock 9
  run --separate-stderr "$CM" apply "$BUNDLE" --json
  exec 9>&-
  [ "$status" -eq 75 ]
  [[ $output == '{"command":"apply","result":"error","exit_code":75,"error":"another config-manager run holds '*'; retry later"}' ]]
}

@test "a daemon started by a script does not keep the lock" {
  add_script 10-daemon 'sleep 30 </dev/null >/dev/null 2>&1 & echo $! >"$CM_ROOT/daemon.pid"'
  "$CM" apply "$BUNDLE"
  run "$CM" apply "$BUNDLE"
  kill "$(cat "$CM_ROOT/daemon.pid")"
  [ "$status" -eq 0 ]
}

@test "--json reports early failures as JSON too" {
  run --separate-stderr "$CM" apply "$BATS_TEST_TMPDIR/nowhere" --json
  [ "$status" -eq 65 ]
  [ "$output" = '{"command":"apply","result":"error","exit_code":65,"error":"bundle not found: '"$BATS_TEST_TMPDIR"'/nowhere"}' ]
  printf 'NOT AN ASSIGNMENT\n' >"$BUNDLE/env"
  run --separate-stderr "$CM" apply "$BUNDLE" --json
  [ "$status" -eq 65 ]
  [ "$output" = '{"command":"apply","result":"error","exit_code":65,"error":"env: bad line '"'NOT AN ASSIGNMENT=…'"'"}' ]
  run --separate-stderr "$CM" snapshot restore 42 --json
  [ "$status" -eq 64 ]
  [[ $output == '{"command":"snapshot restore","result":"error","exit_code":64,'* ]]
}

@test "status of a machine that never applied anything" {
  run "$CM" status --json
  [ "$status" -eq 0 ]
  [ "$output" = '{"command":"status","health":"unknown","bundle":{"name":null,"version":null},"last_apply":null,"managed_files":[],"packages":{},"snapshots":[]}' ]
  run "$CM" status
  [ "$status" -eq 0 ]
  [[ $output == *"0 managed"* ]]
}

@test "status --json after an apply names the bundle, the files and the packages" {
  stub apt-get dpkg-query
  set_packages apt curl
  add_file /etc/motd 0644 "$ME" "$MY_GROUP" hello
  "$CM" apply "$BUNDLE"
  run "$CM" status --json
  [ "$status" -eq 0 ]
  [[ $output == *'"health":"good","bundle":{"name":"demo","version":"1"}'* ]]
  [[ $output == *'"result":"applied"'*'"exit_code":0}'* ]]
  [[ $output == *'"managed_files":[{"path":"/etc/motd","state":"ok"}]'* ]]
  [[ $output == *'"packages":{"apt":["curl"]}'* ]]
  if command -v jq >/dev/null; then jq -e . <<<"$output" >/dev/null; fi
}

@test "--dry-run changes nothing and says what it would do" {
  stub apt-get dpkg-query
  set_packages apt curl
  add_file /etc/motd 0644 "$ME" "$MY_GROUP" hello
  add_script 10-touch "touch '$CM_ROOT/ran'"
  run "$CM" apply "$BUNDLE" --dry-run --json
  [ "$status" -eq 0 ]
  [[ $output == *"would install: curl"* && $output == *"would write /etc/motd"* && $output == *"would run script 10-touch"* ]]
  [ ! -e "$CM_ROOT/etc/motd" ] && [ ! -e "$CM_ROOT/ran" ]
  [ -z "$(calls 'apt-get (install|update)')" ]
  [ -z "$(ls -A "$CM_STATE/snapshots")" ]
}
