#!/usr/bin/env bats
# Package handlers, against stub package managers that record their arguments: the same plan
# for every manager (install what is missing, remove what a bundle dropped, nothing else).

setup() {
  load helpers
  cm_setup
  stub apt-get dpkg-query apk dnf rpm npm pip3
  export CM_SNAPSHOT_BACKEND=none
}

# installed FAMILY NAME=VERSION...: packages the stub's database has from the start.
installed() {
  mkdir -p "$STUB_DB"
  printf '%s\n' "${@:2}" >"$STUB_DB/$1"
}

@test "apt: refreshes the lists once, installs without prompts, pins with =" {
  set_packages apt curl 'jq=1.6-2' '# comment' ''
  run "$CM" apply "$BUNDLE"
  [ "$status" -eq 0 ]
  [ "$(calls '^apt-get')" = "apt-get update -q
apt-get install -y -q --no-install-recommends curl jq=1.6-2" ]
}

@test "apk: add and del" {
  set_packages apk curl 'jq=1.7.1-r0'
  "$CM" apply "$BUNDLE"
  [ "$(calls '^apk add')" = "apk add --no-cache --quiet curl jq=1.7.1-r0" ]
  set_packages apk curl
  "$CM" apply "$BUNDLE"
  [ "$(calls '^apk del')" = "apk del --quiet jq" ]
}

@test "dnf: a pin is spelled name-version" {
  set_packages dnf curl 'jq=1.6'
  "$CM" apply "$BUNDLE"
  [ "$(calls '^dnf')" = "dnf install -y -q curl jq-1.6" ]
}

@test "npm: global installs, scoped names, pins with @" {
  set_packages npm '@scope/tool=2.0.0' typescript
  "$CM" apply "$BUNDLE"
  [ "$(calls '^npm install')" = "npm install --global --no-fund --no-audit --loglevel=error @scope/tool@2.0.0 typescript" ]
  run "$CM" apply "$BUNDLE"
  [ "$(calls '^npm install' | wc -l)" -eq 1 ]
}

@test "pip: pins with ==, no prompts, names compared as pip normalises them" {
  installed pip3 'Requests=2.31.0'
  set_packages pip 'requests=2.31.0' 'ruamel_yaml=0.18.5'
  "$CM" apply "$BUNDLE"
  [ "$(calls '^pip3 install')" = "pip3 install --quiet ruamel_yaml==0.18.5 --no-input --disable-pip-version-check" ]
}

@test "a second apply installs nothing" {
  set_packages apt curl git
  set_packages npm typescript
  "$CM" apply "$BUNDLE"
  : >"$STUB_LOG"
  run "$CM" apply "$BUNDLE" --json
  [ "$status" -eq 0 ]
  [[ $output == *'"packages_installed":[]'* ]]
  [ -z "$(calls 'install|remove|uninstall|update')" ]
}

@test "a changed pin installs the new version" {
  set_packages apt 'jq=1.6-2'
  "$CM" apply "$BUNDLE"
  set_packages apt 'jq=1.7.1-1'
  run "$CM" apply "$BUNDLE" --json
  [[ $output == *'"packages_installed":["apt:jq=1.7.1-1"]'* ]]
}

@test "packages a bundle dropped are removed; ones it never listed are left alone" {
  installed apt 'vim=9.0'
  set_packages apt curl git
  "$CM" apply "$BUNDLE"
  set_packages apt curl
  run "$CM" apply "$BUNDLE" --json
  [ "$status" -eq 0 ]
  [[ $output == *'"packages_removed":["apt:git"]'* ]]
  [ "$(calls '^apt-get remove')" = "apt-get remove -y -q git" ]
  grep -qx 'vim=9.0' "$STUB_DB/apt"
}

@test "custom packages: the script installs, runs again only when it changed, and removes" {
  mkdir -p "$BUNDLE/packages/custom"
  printf 'echo "tool $1" >>"%s"\n' "$BATS_TEST_TMPDIR/custom.log" >"$BUNDLE/packages/custom/tool"
  "$CM" apply "$BUNDLE"
  "$CM" apply "$BUNDLE"
  [ "$(cat "$BATS_TEST_TMPDIR/custom.log")" = "tool install" ]
  printf '# v2\n' >>"$BUNDLE/packages/custom/tool"
  "$CM" apply "$BUNDLE"
  rm "$BUNDLE/packages/custom/tool"
  "$CM" apply "$BUNDLE"
  [ "$(cat "$BATS_TEST_TMPDIR/custom.log")" = "tool install
tool install
tool remove" ]
}

@test "a package manager that is not there: 69 before anything changes" {
  rm "$BATS_TEST_TMPDIR/bin/apk"
  if command -v apk >/dev/null; then skip "this machine has a real apk"; fi
  set_packages apk curl
  add_file /etc/motd 0644 "$ME" "$MY_GROUP" hi
  CM_SNAPSHOT_BACKEND=directory run "$CM" apply "$BUNDLE"
  [ "$status" -eq 69 ]
  [[ $output == *"apk is not available"* ]]
  [ ! -e "$CM_ROOT/etc/motd" ]
  [ -z "$(ls -A "$CM_STATE/snapshots")" ]
}

@test "apt-get update failing is a temporary failure (75), rolled back" {
  export STUB_FAIL='apt-get update' CM_SNAPSHOT_BACKEND=directory
  set_packages apt curl
  run "$CM" apply "$BUNDLE" --json
  [ "$status" -eq 75 ]
  [[ $output == *'"result":"rolled_back"'*'"failed_step":"packages","step_exit_code":75'* ]]
}

@test "apt-get install failing fails the apply (4) and rolls back" {
  export STUB_FAIL='apt-get install' CM_SNAPSHOT_BACKEND=directory
  set_packages apt curl
  run "$CM" apply "$BUNDLE" --json
  [ "$status" -eq 4 ]
  [[ $output == *'"step_exit_code":100,"rollback":{"snapshot":"0001","verified":true}'* ]]
  [ ! -s "$CM_STATE/managed/packages/apt" ]
}
