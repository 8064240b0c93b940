#!/usr/bin/env bats
# dokploy/install.sh in a throwaway root: the official installer is a fixture that "creates" the
# dokploy service; docker, ss and curl are fakes.

setup() {
  load "${BATS_TEST_DIRNAME%/infra/*}/infra/tests/throwaway-root"
  root_setup
  SCRIPT=$INFRA_DIR/dokploy/install.sh
  export DOKPLOY_WAIT_SECS=5
  # What the real installer leaves behind that matters here: the dokploy service.
  fixture install.sh '#!/bin/bash
echo "installing Dokploy $DOKPLOY_VERSION" >>/berth-test/state/installer.log
touch /berth-test/state/dokploy-service
'
}

@test "runs the pinned installer once, waits for the UI; a second run changes nothing" {
  run_twice bash "$SCRIPT"
  [ "$(cat "$BT/state/installer.log")" = "installing Dokploy v0.29.4" ]
  [ -n "$(first_calls '^curl .*https://dokploy.com/install.sh')" ]
  [ -n "$(first_calls '^curl .*http://127.0.0.1:3000/')" ]
  [ -z "$(root_calls '^curl')" ]
}

@test "--version picks the release; the installer's checksum is checked when given" {
  run in_root bash "$SCRIPT" --version v0.30.0
  [ "$status" -eq 0 ]
  [ "$(cat "$BT/state/installer.log")" = "installing Dokploy v0.30.0" ]
  rm "$BT/state/dokploy-service"
  DOKPLOY_INSTALLER_SHA256=$(printf '%064d' 0) run in_root bash "$SCRIPT"
  [ "$status" -eq 69 ]
  DOKPLOY_INSTALLER_SHA256=$(sha256sum <"$BT/fixtures/install.sh" | cut -d' ' -f1) run in_root bash "$SCRIPT"
  [ "$status" -eq 0 ]
}

@test "a port in use is unavailable (69); nothing is downloaded" {
  FAKE_PORTS_IN_USE=443 run in_root bash "$SCRIPT"
  [ "$status" -eq 69 ]
  [[ $output == *"port 443 is already in use"* ]]
  [ -z "$(root_calls '^curl')" ]
}

@test "a failed download or installer is a temporary failure (75)" {
  FAKE_HTTP_CODE=500 run in_root bash "$SCRIPT"
  [ "$status" -eq 75 ]
  fixture install.sh 'exit 1'
  run in_root bash "$SCRIPT"
  [ "$status" -eq 75 ]
}

@test "bad versions are usage errors (64); --dry-run changes nothing" {
  run in_root bash "$SCRIPT" --version 0.29
  [ "$status" -eq 64 ]
  before=$(root_digest)
  run in_root bash "$SCRIPT" --dry-run
  [ "$status" -eq 0 ]
  [ "$before" = "$(root_digest)" ]
  [ -z "$(root_calls '^curl')" ] && [ ! -e "$BT/state/installer.log" ]
}
